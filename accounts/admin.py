"""Authenticator devices in the admin: superusers only.

django-otp registers its TOTP and recovery-code devices in the admin (that is how an
administrator removes a lost phone's authenticator). They are secrets of logins, not of a
program, so they are re-registered here for superusers alone (programs.admin_access).
"""

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.admin_access import SuperuserOnlyAdmin


class SuperuserTOTPDeviceAdmin(SuperuserOnlyAdmin, TOTPDeviceAdmin):
    pass


class SuperuserStaticDeviceAdmin(SuperuserOnlyAdmin, StaticDeviceAdmin):
    pass


for model, model_admin in ((TOTPDevice, SuperuserTOTPDeviceAdmin), (StaticDevice, SuperuserStaticDeviceAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
