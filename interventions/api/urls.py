from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("interventions", views.InterventionViewSet, basename="intervention")
router.register("maintenance-plans", views.MaintenancePlanViewSet, basename="maintenance-plan")

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    # Ids are whole numbers, as on every route (ScopedQuerysetMixin.lookup_value_regex).
    re_path(
        r"^equipment/(?P<pk>\d+)/interventions/$",
        views.EquipmentInterventionsViewSet.as_view({"get": "interventions"}),
        name="equipment-interventions",
    ),
    re_path(
        r"^technicians/(?P<pk>\d+)/schedule/$",
        views.TechnicianScheduleViewSet.as_view({"get": "schedule"}),
        name="technician-schedule",
    ),
    *router.urls,
]
