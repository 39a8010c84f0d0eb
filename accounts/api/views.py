from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import MeSerializer, MeUpdateSerializer


class MeView(APIView):
    """The signed-in person's profile."""

    @extend_schema(operation_id="me_retrieve", responses=MeSerializer, tags=["accounts"])
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        operation_id="me_partial_update",
        request=MeUpdateSerializer,
        responses=MeSerializer,
        tags=["accounts"],
    )
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "nik" in data and data["nik"] == "":
            data["nik"] = None
        user = services.user_update_profile(actor=request.user, user=request.user, **data)
        return Response(MeSerializer(user, context={"request": request}).data)
