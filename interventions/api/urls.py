from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("interventions", views.InterventionViewSet, basename="intervention")
router.register("maintenance-plans", views.MaintenancePlanViewSet, basename="maintenance-plan")

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    *router.urls,
]
