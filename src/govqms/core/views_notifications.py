from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import notifications


@login_required
def notification_list(request):
    """My notifications, newest first; only ever the signed-in user's own."""
    page = Paginator(notifications.for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request):
    """Mark one notification (`pk`) or all of mine read."""
    pk = request.POST.get("pk")
    notifications.mark_read(request.user, [pk] if pk and pk.isdigit() else None)
    return redirect("notifications")
