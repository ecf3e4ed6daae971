"""SMS through an SNS-compatible ``Publish`` endpoint (AWS query protocol, SigV4 for ``sns``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from botocore.credentials import Credentials

from userpools.delivery.errors import DeliveryError
from userpools.delivery.message import Message
from userpools.outbound import HttpResponse, HttpUnreachable, post, sign_v4
from userpools.retry import RetryPolicy, retrying

_TRANSIENT_CODES = ("Throttl", "InternalError", "InternalFailure", "ServiceUnavailable", "KMSThrottling")


class SnsSender:
    def __init__(
        self,
        endpoint_url: str,
        region: str,
        credentials: Credentials,
        *,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        sms_type: str = "Transactional",
    ) -> None:
        self.url = endpoint_url if endpoint_url.count("/") > 2 else endpoint_url + "/"
        self.region = region
        self.credentials = credentials
        self.timeout = timeout
        self.retry = retry or RetryPolicy(attempts=3, backoff=0.5)
        self.sms_type = sms_type

    def send(self, message: Message) -> None:
        if message.medium != "SMS":
            raise ValueError(f"SnsSender sends SMS, not {message.medium}")
        self.publish(message.destination, message.body, sender_id=message.sender)

    def publish(self, phone_number: str, text: str, *, sender_id: str | None = None) -> str:
        """Publish one SMS and return SNS's MessageId; ``DeliveryError`` if it was not accepted."""
        fields = [
            ("Action", "Publish"),
            ("Version", "2010-03-31"),
            ("PhoneNumber", phone_number),
            ("Message", text),
        ]
        attributes = [("AWS.SNS.SMS.SMSType", self.sms_type)]
        if sender_id:
            attributes.append(("AWS.SNS.SMS.SenderID", sender_id))
        for n, (name, value) in enumerate(attributes, start=1):
            prefix = f"MessageAttributes.entry.{n}"
            fields += [
                (f"{prefix}.Name", name),
                (f"{prefix}.Value.DataType", "String"),
                (f"{prefix}.Value.StringValue", value),
            ]
        body = urlencode(fields).encode()
        return retrying(lambda: self._publish_once(body), self.retry, _is_transient)

    def _publish_once(self, body: bytes) -> str:
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        headers = sign_v4(self.url, body, headers, "sns", self.region, self.credentials)
        try:
            response = post(self.url, body, headers, self.timeout)
        except HttpUnreachable as exc:
            raise DeliveryError(f"SNS unreachable: {exc}", transient=True) from exc
        if 200 <= response.status < 300:
            return _find(response.body, "MessageId") or ""
        raise _error(response)


def _error(response: HttpResponse) -> DeliveryError:
    code = _find(response.body, "Code") or f"HTTP {response.status}"
    text = _find(response.body, "Message") or ""
    transient = response.status >= 500 or response.status == 429 or code.startswith(_TRANSIENT_CODES)
    return DeliveryError(f"SNS Publish failed: {code} {text}".rstrip(), transient=transient)


def _find(document: bytes, tag: str) -> str | None:
    """The text of the first element named ``tag`` in any namespace, or None."""
    try:
        root = ET.fromstring(document)
    except ET.ParseError:
        return None
    for element in root.iter():
        if element.tag.rpartition("}")[2] == tag:
            return element.text
    return None


def _is_transient(exc: Exception) -> bool:
    return isinstance(exc, DeliveryError) and exc.transient
