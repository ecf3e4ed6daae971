"""Sending rendered messages: email over SMTP, SMS through an SNS-compatible Publish endpoint."""

from userpools.delivery.errors import DeliveryError
from userpools.delivery.message import Message
from userpools.delivery.senders import Senders
from userpools.delivery.smtp import SmtpSender
from userpools.delivery.sns import SnsSender

__all__ = ["DeliveryError", "Message", "Senders", "SmtpSender", "SnsSender"]
