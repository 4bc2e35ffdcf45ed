from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("equipment", views.EquipmentViewSet, basename="equipment")

urlpatterns = router.urls
