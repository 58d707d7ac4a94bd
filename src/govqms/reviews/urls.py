from django.urls import path

from . import views

P = "agencies/<int:unit_pk>/management-reviews/"

urlpatterns = [
    path(P, views.review_list, name="review_list"),
    path(P + "new/", views.review_create, name="review_create"),
    path(P + "<int:pk>/", views.review_detail, name="review_detail"),
    path(P + "<int:pk>/edit/", views.review_edit, name="review_edit"),
    path(P + "<int:pk>/hold/", views.review_hold, name="review_hold"),
    path(P + "<int:pk>/comment/", views.review_comment, name="review_comment"),
    path(P + "<int:pk>/issue/", views.review_issue_minutes, name="review_issue_minutes"),
    path(P + "<int:pk>/decisions/", views.review_decision_add, name="review_decision_add"),
    path(P + "<int:pk>/minutes.docx", views.review_minutes_docx, name="review_minutes_docx"),
    path(P + "<int:pk>/minutes.pdf", views.review_minutes_pdf, name="review_minutes_pdf"),
    path(
        "agencies/<int:unit_pk>/management-review-actions/",
        views.review_actions,
        name="review_actions",
    ),
    path(
        "agencies/<int:unit_pk>/management-review-actions/<int:pk>/",
        views.review_action_edit,
        name="review_action_edit",
    ),
]
