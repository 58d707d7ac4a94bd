from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import notifications
from .models import Delivery


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=gettext_lazy("E-mail me"),
        choices=Delivery.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


def _settings_form(user, data=None) -> DeliveryForm:
    return DeliveryForm(data, initial={"delivery": notifications.delivery_of(user)})


@login_required
def notification_list(request):
    """My notifications, newest first; only ever the signed-in user's own."""
    page = Paginator(notifications.for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {"page": page, "settings_form": _settings_form(request.user)},
    )


@login_required
@require_POST
def notification_read(request):
    """Mark one notification (`pk`) or all of mine read."""
    pk = request.POST.get("pk")
    notifications.mark_read(request.user, [pk] if pk and pk.isdigit() else None)
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """How my notifications are e-mailed to me (mine only)."""
    form = _settings_form(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        notifications.set_delivery(request.user, form.cleaned_data["delivery"])
        messages.success(request, _("Your e-mail preference is saved."))
        return redirect("notifications")
    return render(
        request,
        "core/notification_settings.html",
        {"settings_form": form},
        status=400 if form.is_bound else 200,
    )
