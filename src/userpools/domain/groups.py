"""A user pool group: its record and how Cognito shows it (GroupType)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass
class Group:
    pool_id: str
    name: str
    description: str | None
    role_arn: str | None
    precedence: int | None
    created: datetime
    modified: datetime

    def as_group_type(self) -> dict[str, Any]:
        return {
            "GroupName": self.name,
            "UserPoolId": self.pool_id,
            "Description": self.description,
            "RoleArn": self.role_arn,
            "Precedence": self.precedence,
            "LastModifiedDate": self.modified,
            "CreationDate": self.created,
        }
