from django.urls import path

from . import views

P = "agencies/<int:unit_pk>/"

urlpatterns = [
    path(P + "objectives/", views.objectives, name="planning_objectives"),
    path(P + "objectives/policy/", views.policy_set, name="planning_policy_set"),
    path(P + "objectives/new/", views.objective_create, name="planning_objective_create"),
    path(P + "objectives/<int:pk>/", views.objective_detail, name="planning_objective"),
    path(P + "objectives/<int:pk>/edit/", views.objective_edit, name="planning_objective_edit"),
    path(
        P + "objectives/<int:pk>/measure/",
        views.objective_measure,
        name="planning_objective_measure",
    ),
    path(
        P + "objectives/<int:pk>/measure-now/",
        views.objective_measure_now,
        name="planning_objective_measure_now",
    ),
    path(P + "risks/", views.risks, name="planning_risks"),
    path(P + "risks/new/", views.risk_create, name="planning_risk_create"),
    path(P + "risks/<int:pk>/", views.risk_detail, name="planning_risk"),
    path(P + "risks/<int:pk>/edit/", views.risk_edit, name="planning_risk_edit"),
    path(P + "plan/", views.plan, name="planning_plan"),
    path(P + "plan/new/", views.plan_create, name="planning_plan_create"),
    path(P + "plan/generate/", views.plan_generate, name="planning_plan_generate"),
    path(P + "plan/<int:pk>/edit/", views.plan_edit, name="planning_plan_edit"),
]
