"""The coordinator scans the check-in codes on the members' phones (Chromium, 375 px phone).

Chromium's fake camera plays a YUV4MPEG2 file that the test draws itself from the QR matrix of
a check-in code, as a phone held up to the coordinator's camera would show it."""

from pathlib import Path

import pytest
import qrcode

from itinerary import views as personal_views
from outcomes import views
from outcomes.checkin_codes import checkin_code
from outcomes.models import Attendance
from tests.factories import ProgramFactory, local
from tests.outcomes.conftest import hold

from .conftest import CHROMIUM, CHROMIUM_ARGS
from .test_checkin_offline import open_kept_for_offline

WIDTH, HEIGHT = 640, 480


def write_y4m(path: Path, text: str, *, frames: int = 3) -> Path:
    """A few identical 640x480 frames (4:2:0, grey): the QR code of `text`, 10 px a module, with
    a white quiet zone of four modules, in the middle of a mid-grey picture."""
    code = qrcode.QRCode(border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    scale = 10
    size = len(matrix) * scale
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    luma = bytearray([128]) * (WIDTH * HEIGHT)
    for y in range(size):
        row = matrix[y // scale]
        line = bytes(16 if row[x // scale] else 235 for x in range(size))
        start = (top + y) * WIDTH + left
        luma[start : start + size] = line
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@pytest.fixture
def at_the_visit(transactional_db, monkeypatch):
    held = hold(ProgramFactory(title="Развитие человеческого капитала"))
    moment = local(held.program, held.program.start_date, 10, 15)
    monkeypatch.setattr(views, "current_time", lambda: moment)
    monkeypatch.setattr(personal_views, "current_time", lambda: moment)
    return held


@pytest.fixture
def phone_with_camera(playwright_driver, tmp_path, live_server):
    """`open(code_text, allow=True)`: a 375 px phone whose rear camera sees the QR code of
    `code_text`; with allow=False the page is refused the camera."""
    launched = []

    def open_phone(text: str, *, allow: bool = True):
        video = write_y4m(tmp_path / "camera.y4m", text)
        args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
        if allow:  # the permission prompt answered "allow"; else headless Chromium answers "block"
            args.append("--use-fake-ui-for-media-stream")
        browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        launched.append(browser)
        context = browser.new_context(
            viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
        )
        if allow:
            context.grant_permissions(["camera"], origin=live_server.url)
        return context.new_page()

    yield open_phone
    for browser in launched:
        browser.close()


def queue(page) -> list:
    return page.evaluate("Object.keys(localStorage).flatMap(key => JSON.parse(localStorage.getItem(key)))")


def test_a_member_scanned_offline_is_marked_present_and_the_mark_arrives_once(
    phone_with_camera, live_server, at_the_visit, screenshot
):
    held = at_the_visit
    visit, second = held.visits[0], held.members[1]
    phone = phone_with_camera(checkin_code(participant_id=second.pk))
    url = f"{live_server.url}/i/{held.coordinator.access_token}/check-in/"
    open_kept_for_offline(phone, url)

    phone.context.set_offline(True)
    try:
        phone.reload()  # the copy kept by the service worker, with the decoder it kept too
        assert phone.locator(".itin").get_attribute("data-served-by") == "cache"
        sheet = phone.locator(f'[data-visit="{visit.pk}"]')
        sheet.locator("[data-scan]").click()
        phone.wait_for_selector("[data-scanner][data-scan-state=present]")

        # In the coordinator's language (Kazakh), under this visit's button.
        assert sheet.locator("[data-scanner-result]").inner_text() == "Андрей Викторович Антонов: қатысты"
        assert sheet.locator(f'[data-participant="{second.pk}"]').get_attribute("data-state") == "present"
        assert sheet.locator(f'[data-participant="{held.members[2].pk}"]').get_attribute("data-state") == "unmarked"
        screenshot(phone, "checkin-scan-phone")
        # The camera sees the same code frame after frame: still one mark, the tap's kind.
        seen = phone.evaluate("document.querySelector('[data-scanner-video]').currentTime")
        phone.wait_for_function("t => document.querySelector('[data-scanner-video]').currentTime > t + 1", arg=seen)
        marks = queue(phone)
        assert [(m["visit"], m["participant"], m["present"]) for m in marks] == [(visit.pk, second.pk, True)]
        assert not Attendance.objects.exists()

        # The scanner keeps going for the next person until Stop closes the camera.
        assert phone.locator("[data-scanner]").is_visible()
        phone.locator("[data-scanner-stop]").click()
        assert phone.locator("[data-scanner]").is_hidden()
        assert phone.evaluate("document.querySelector('[data-scanner-video]').srcObject") is None
    finally:
        phone.context.set_offline(False)

    phone.wait_for_selector("[data-sync=done]")
    rows = Attendance.objects.filter(visit=visit)
    assert [(row.participant_id, row.present, row.marked_by) for row in rows] == [
        (second.pk, True, held.coordinator.full_name)
    ]
    assert queue(phone) == []


def test_the_code_of_another_groups_participant_marks_nobody_and_sends_nothing(
    phone_with_camera, live_server, at_the_visit
):
    held = at_the_visit
    joint = held.visits[1]  # the stranger's group is at this visit too
    phone = phone_with_camera(checkin_code(participant_id=held.stranger.pk))
    sent = []
    phone.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    phone.goto(f"{live_server.url}/i/{held.coordinator.access_token}/check-in/")

    sheet = phone.locator(f'[data-visit="{joint.pk}"]')
    sheet.locator("[data-scan]").click()
    phone.wait_for_selector("[data-scanner][data-scan-state=unknown]")

    assert sheet.locator("[data-scanner-result]").inner_text() == "Бұл код осы топ мүшесінікі емес."
    states = sheet.locator("[data-participant]").evaluate_all("rows => rows.map(row => row.dataset.state)")
    assert states == ["unmarked"] * len(held.members)
    assert queue(phone) == []
    assert sent == []
    assert not Attendance.objects.exists()


NO_CAMERA = "Бұл телефонда бет пайдалана алатын камера жоқ. Оның орнына «Қатысты» немесе «Қатыспады» түймесін басыңыз."
REFUSED = (
    "Камераға рұқсат берілмеді. Кодтарды сканерлеу үшін бұл сайтқа камераны пайдалануға рұқсат беріңіз "
    "немесе «Қатысты» не «Қатыспады» түймесін басыңыз."
)


@pytest.mark.parametrize(
    ("camera", "state", "message"), [("none", "no-camera", NO_CAMERA), ("refused", "refused", REFUSED)]
)
def test_with_no_camera_or_the_camera_refused_the_page_says_so_and_taps_still_work(
    phone, phone_with_camera, live_server, at_the_visit, camera, state, message
):
    held = at_the_visit
    visit, third = held.visits[0], held.members[2]
    if camera == "refused":  # a camera, but the coordinator says no to the page's request
        phone = phone_with_camera(checkin_code(participant_id=third.pk), allow=False)
    phone.goto(f"{live_server.url}/i/{held.coordinator.access_token}/check-in/")

    sheet = phone.locator(f'[data-visit="{visit.pk}"]')
    sheet.locator("[data-scan]").click()
    phone.wait_for_selector(f"[data-scanner][data-scan-state={state}]")
    shown = sheet.locator("[data-scanner-result]").inner_text()
    sheet.locator(f'[data-participant="{third.pk}"] .checkin-present').click()
    phone.wait_for_selector("[data-sync=done]")

    assert shown == message
    assert phone.locator("[data-scanner-video]").is_hidden()
    assert Attendance.objects.get(visit=visit, participant=third).present is True


def test_the_qr_code_on_the_personal_page_reads_as_the_members_check_in_code(phone, live_server, at_the_visit):
    member = at_the_visit.members[1]
    phone.goto(f"{live_server.url}/i/{member.access_token}/")
    phone.add_script_tag(url="/static/outcomes/vendor/jsQR-1.4.0.js")  # the decoder the coordinator's page uses
    code = phone.locator("[data-checkin-code]")
    assert not code.locator("svg").is_visible()  # folded: the next visit stays at the top
    code.locator("summary").click()  # the participant taps "Check-in code"
    assert code.locator("svg").is_visible()

    # The SVG as the phone's screen shows it, drawn at 300 px and read back.
    read = phone.evaluate(
        """() => new Promise((resolve, reject) => {
             const svg = document.querySelector("[data-checkin-code] svg");
             const image = new Image();
             image.onload = () => {
               const canvas = document.createElement("canvas");
               canvas.width = canvas.height = 300;
               const context = canvas.getContext("2d");
               context.fillStyle = "#fff";
               context.fillRect(0, 0, 300, 300);
               context.drawImage(image, 20, 20, 260, 260);
               const found = jsQR(context.getImageData(0, 0, 300, 300).data, 300, 300);
               resolve(found && found.data);
             };
             image.onerror = reject;
             image.src = "data:image/svg+xml," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
           })"""
    )

    assert read == checkin_code(participant_id=member.pk)
    assert member.access_token not in read
