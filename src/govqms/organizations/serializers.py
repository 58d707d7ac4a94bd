from rest_framework import serializers

from .models import Membership, Unit, User


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "name_en",
            "kind",
            "kind_label",
            "parent",
            "province",
            "admin_code",
            "valid_from",
            "valid_to",
            "in_dost_remit",
            "is_active",
        ]


class UserBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name"]


class MembershipSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "unit",
            "unit_code",
            "unit_name",
            "role",
            "role_label",
            "title",
            "valid_from",
            "valid_to",
        ]


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()
    oversight = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "memberships", "oversight"]

    def get_memberships(self, user) -> list[dict]:
        return MembershipSerializer(self.context["memberships"], many=True).data
