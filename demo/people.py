"""The demo's delegates as their records are kept: a Russian-speaking delegate's name, position,
organisation and region in Russian, Cyrillic as in their passport and their ministry's papers; an
English-speaking delegate's in English. (The itinerary's labels and content follow the reader's
language; a person's own details are personal data, kept in the language they were given in.)"""

FIRST_NAMES = {
    "Andrey": "Андрей", "Sergey": "Сергей", "Dmitry": "Дмитрий", "Alexey": "Алексей", "Mikhail": "Михаил",
    "Igor": "Игорь", "Pavel": "Павел", "Vladimir": "Владимир", "Nikolai": "Николай", "Oleg": "Олег",
    "Denis": "Денис", "Maxim": "Максим", "Yuri": "Юрий", "Roman": "Роман", "Artem": "Артём",
    "Konstantin": "Константин", "Elena": "Елена", "Olga": "Ольга", "Natalia": "Наталья", "Irina": "Ирина",
    "Tatiana": "Татьяна", "Anna": "Анна", "Maria": "Мария", "Svetlana": "Светлана", "Yulia": "Юлия",
    "Ekaterina": "Екатерина",
}  # fmt: skip
LAST_NAMES = {
    "Ivanov": "Иванов", "Smirnov": "Смирнов", "Kuznetsov": "Кузнецов", "Popov": "Попов", "Vasiliev": "Васильев",
    "Petrov": "Петров", "Sokolov": "Соколов", "Mikhailov": "Михайлов", "Novikov": "Новиков", "Fedorov": "Фёдоров",
    "Morozov": "Морозов", "Volkov": "Волков", "Alekseev": "Алексеев", "Lebedev": "Лебедев", "Semenov": "Семёнов",
    "Egorov": "Егоров", "Pavlov": "Павлов", "Kozlov": "Козлов", "Stepanov": "Степанов", "Nikolaev": "Николаев",
    "Orlov": "Орлов", "Andreev": "Андреев", "Makarov": "Макаров", "Zakharov": "Захаров", "Antonov": "Антонов",
}  # fmt: skip
# Patronymic stems, as in demo.data.FATHERS: Andree-vich, Andree-vna.
FATHERS = {
    "Andree": "Андрее", "Sergee": "Сергее", "Viktoro": "Викторо", "Nikolae": "Николае", "Vladimiro": "Владимиро",
    "Aleksandro": "Александро", "Petro": "Петро", "Igore": "Игоре", "Mikhailo": "Михайло",
}  # fmt: skip
# Region: (nominative, genitive), for "Томская область" and "Правительство Томской области".
REGIONS = {
    "Tomsk Region": ("Томская область", "Томской области"),
    "Novosibirsk Region": ("Новосибирская область", "Новосибирской области"),
    "Sverdlovsk Region": ("Свердловская область", "Свердловской области"),
    "Republic of Tatarstan": ("Республика Татарстан", "Республики Татарстан"),
    "Krasnoyarsk Territory": ("Красноярский край", "Красноярского края"),
    "Irkutsk Region": ("Иркутская область", "Иркутской области"),
    "Khabarovsk Territory": ("Хабаровский край", "Хабаровского края"),
    "Omsk Region": ("Омская область", "Омской области"),
    "Samara Region": ("Самарская область", "Самарской области"),
    "Kaliningrad Region": ("Калининградская область", "Калининградской области"),
    "Moscow Region": ("Московская область", "Московской области"),
    "Nizhny Novgorod Region": ("Нижегородская область", "Нижегородской области"),
}
# The same positions as demo.data.POSITIONS, in their order; {region} in the genitive.
POSITIONS = [
    "Заместитель губернатора {region} по экономике",
    "Заместитель губернатора {region} по социальной политике",
    "Министр экономического развития {region}",
    "Министр цифрового развития {region}",
    "Начальник департамента стратегического планирования {region}",
    "Министр образования и науки {region}",
    "Начальник департамента природных ресурсов {region}",
    "Министр строительства и жилищно-коммунального хозяйства {region}",
    "Заместитель руководителя администрации губернатора {region}",
]


def russian_name(first: str, last: str, patronymic: str) -> dict[str, str]:
    """A name of demo.data._name in Cyrillic: "Elena", "Ivanova", "Andreevna" -> "Елена", "Иванова",
    "Андреевна" (as first_name, last_name and patronymic)."""
    female = patronymic.endswith("vna")
    stem = patronymic[: -len("vna")] if female else patronymic[: -len("vich")]
    surname = LAST_NAMES[last[:-1]] + "а" if female else LAST_NAMES[last]
    return {
        "first_name": FIRST_NAMES[first],
        "last_name": surname,
        "patronymic": FATHERS[stem] + ("вна" if female else "вич"),
    }


def russian_details(region: str, position: int) -> dict[str, str]:
    """Position (an index of demo.data.POSITIONS), organisation and region in Russian."""
    nominative, genitive = REGIONS[region]
    return {
        "position": POSITIONS[position].format(region=genitive),
        "organisation": f"Правительство {genitive}",
        "region": nominative,
    }
