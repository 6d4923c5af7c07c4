"""Contains all the data models used in inputs/outputs"""

from .accepted import Accepted
from .access_view import AccessView
from .account_body import AccountBody
from .account_change_request import AccountChangeRequest
from .account_view import AccountView
from .ad_hoc_target import AdHocTarget
from .api_key_body import ApiKeyBody
from .api_key_list import ApiKeyList
from .api_key_request import ApiKeyRequest
from .api_key_request_scope import ApiKeyRequestScope
from .api_key_revoked import ApiKeyRevoked
from .api_key_scope import ApiKeyScope
from .api_key_view import ApiKeyView
from .attempt_view import AttemptView
from .audit_actor import AuditActor
from .audit_change import AuditChange
from .audit_entry import AuditEntry
from .audit_entry_changes import AuditEntryChanges
from .audit_list import AuditList
from .audit_resource import AuditResource
from .batch_accepted import BatchAccepted
from .batch_event import BatchEvent
from .batch_request import BatchRequest
from .branding_request import BrandingRequest
from .branding_view import BrandingView
from .bucket import Bucket
from .console_link_body import ConsoleLinkBody
from .console_link_list import ConsoleLinkList
from .console_link_request import ConsoleLinkRequest
from .console_link_view import ConsoleLinkView
from .create_account_request import CreateAccountRequest
from .current_account import CurrentAccount
from .current_account_body import CurrentAccountBody
from .deleted import Deleted
from .delivery_body import DeliveryBody
from .delivery_list import DeliveryList
from .delivery_view import DeliveryView
from .error_body import ErrorBody
from .event_ref import EventRef
from .event_request import EventRequest
from .event_result import EventResult
from .event_type_body import EventTypeBody
from .event_type_change_request import EventTypeChangeRequest
from .event_type_change_request_schema_type_0 import EventTypeChangeRequestSchemaType0
from .event_type_deleted import EventTypeDeleted
from .event_type_list import EventTypeList
from .event_type_request import EventTypeRequest
from .event_type_request_schema_type_0 import EventTypeRequestSchemaType0
from .event_type_view import EventTypeView
from .field_error import FieldError
from .figures import Figures
from .filter_anything_but import FilterAnythingBut
from .filter_anything_but_anything_but_type_3 import FilterAnythingButAnythingButType3
from .filter_anything_but_anything_but_type_4 import FilterAnythingButAnythingButType4
from .filter_anything_but_anything_but_type_5 import FilterAnythingButAnythingButType5
from .filter_equals_ignore_case import FilterEqualsIgnoreCase
from .filter_event import FilterEvent
from .filter_exists import FilterExists
from .filter_fields_2 import FilterFields2
from .filter_fields_3 import FilterFields3
from .filter_fields_4 import FilterFields4
from .filter_fields_5 import FilterFields5
from .filter_fields_6 import FilterFields6
from .filter_numeric import FilterNumeric
from .filter_numeric_numeric_type_0_item_type_0 import (
    FilterNumericNumericType0ItemType0,
)
from .filter_numeric_numeric_type_1_item_type_0 import (
    FilterNumericNumericType1ItemType0,
)
from .filter_numeric_numeric_type_1_item_type_2 import (
    FilterNumericNumericType1ItemType2,
)
from .filter_pattern import FilterPattern
from .filter_prefix import FilterPrefix
from .filter_prefix_prefix_type_1 import FilterPrefixPrefixType1
from .filter_suffix import FilterSuffix
from .filter_suffix_suffix_type_1 import FilterSuffixSuffixType1
from .filter_test_request import FilterTestRequest
from .filter_test_request_event_type_1 import FilterTestRequestEventType1
from .filter_tested import FilterTested
from .list_audit_records_action import ListAuditRecordsAction
from .poll_page import PollPage
from .polled_delivery import PolledDelivery
from .polled_delivery_headers import PolledDeliveryHeaders
from .recover_request import RecoverRequest
from .recovered import Recovered
from .replay_request import ReplayRequest
from .replay_started import ReplayStarted
from .replayed import Replayed
from .rotate_request import RotateRequest
from .rotated_secret import RotatedSecret
from .stats import Stats
from .status_counts import StatusCounts
from .test_sent import TestSent
from .transform_preview import TransformPreview
from .transform_preview_body import TransformPreviewBody
from .transform_preview_request import TransformPreviewRequest
from .transform_preview_request_event_type_1 import TransformPreviewRequestEventType1
from .transform_preview_request_transform_type_0 import (
    TransformPreviewRequestTransformType0,
)
from .transform_preview_request_transform_type_1 import (
    TransformPreviewRequestTransformType1,
)
from .webhook_body import WebhookBody
from .webhook_change_request import WebhookChangeRequest
from .webhook_change_request_delivery_type_1 import WebhookChangeRequestDeliveryType1
from .webhook_change_request_delivery_type_2_type_1 import (
    WebhookChangeRequestDeliveryType2Type1,
)
from .webhook_change_request_delivery_type_3_type_1 import (
    WebhookChangeRequestDeliveryType3Type1,
)
from .webhook_change_request_headers_type_0 import WebhookChangeRequestHeadersType0
from .webhook_change_request_transform_type_0 import WebhookChangeRequestTransformType0
from .webhook_change_request_transform_type_1 import WebhookChangeRequestTransformType1
from .webhook_changed import WebhookChanged
from .webhook_list import WebhookList
from .webhook_request import WebhookRequest
from .webhook_request_delivery_type_1 import WebhookRequestDeliveryType1
from .webhook_request_delivery_type_2_type_1 import WebhookRequestDeliveryType2Type1
from .webhook_request_delivery_type_3_type_1 import WebhookRequestDeliveryType3Type1
from .webhook_request_headers_type_0 import WebhookRequestHeadersType0
from .webhook_request_transform_type_0 import WebhookRequestTransformType0
from .webhook_request_transform_type_1 import WebhookRequestTransformType1
from .webhook_view import WebhookView
from .webhook_view_delivery import WebhookViewDelivery
from .webhook_view_filter_type_0 import WebhookViewFilterType0
from .webhook_view_headers import WebhookViewHeaders
from .webhook_view_transform_type_0 import WebhookViewTransformType0
from .webhook_view_transform_type_1 import WebhookViewTransformType1

__all__ = (
    "Accepted",
    "AccessView",
    "AccountBody",
    "AccountChangeRequest",
    "AccountView",
    "AdHocTarget",
    "ApiKeyBody",
    "ApiKeyList",
    "ApiKeyRequest",
    "ApiKeyRequestScope",
    "ApiKeyRevoked",
    "ApiKeyScope",
    "ApiKeyView",
    "AttemptView",
    "AuditActor",
    "AuditChange",
    "AuditEntry",
    "AuditEntryChanges",
    "AuditList",
    "AuditResource",
    "BatchAccepted",
    "BatchEvent",
    "BatchRequest",
    "BrandingRequest",
    "BrandingView",
    "Bucket",
    "ConsoleLinkBody",
    "ConsoleLinkList",
    "ConsoleLinkRequest",
    "ConsoleLinkView",
    "CreateAccountRequest",
    "CurrentAccount",
    "CurrentAccountBody",
    "Deleted",
    "DeliveryBody",
    "DeliveryList",
    "DeliveryView",
    "ErrorBody",
    "EventRef",
    "EventRequest",
    "EventResult",
    "EventTypeBody",
    "EventTypeChangeRequest",
    "EventTypeChangeRequestSchemaType0",
    "EventTypeDeleted",
    "EventTypeList",
    "EventTypeRequest",
    "EventTypeRequestSchemaType0",
    "EventTypeView",
    "FieldError",
    "Figures",
    "FilterAnythingBut",
    "FilterAnythingButAnythingButType3",
    "FilterAnythingButAnythingButType4",
    "FilterAnythingButAnythingButType5",
    "FilterEqualsIgnoreCase",
    "FilterEvent",
    "FilterExists",
    "FilterFields2",
    "FilterFields3",
    "FilterFields4",
    "FilterFields5",
    "FilterFields6",
    "FilterNumeric",
    "FilterNumericNumericType0ItemType0",
    "FilterNumericNumericType1ItemType0",
    "FilterNumericNumericType1ItemType2",
    "FilterPattern",
    "FilterPrefix",
    "FilterPrefixPrefixType1",
    "FilterSuffix",
    "FilterSuffixSuffixType1",
    "FilterTestRequest",
    "FilterTestRequestEventType1",
    "FilterTested",
    "ListAuditRecordsAction",
    "PollPage",
    "PolledDelivery",
    "PolledDeliveryHeaders",
    "RecoverRequest",
    "Recovered",
    "ReplayRequest",
    "ReplayStarted",
    "Replayed",
    "RotateRequest",
    "RotatedSecret",
    "Stats",
    "StatusCounts",
    "TestSent",
    "TransformPreview",
    "TransformPreviewBody",
    "TransformPreviewRequest",
    "TransformPreviewRequestEventType1",
    "TransformPreviewRequestTransformType0",
    "TransformPreviewRequestTransformType1",
    "WebhookBody",
    "WebhookChangeRequest",
    "WebhookChangeRequestDeliveryType1",
    "WebhookChangeRequestDeliveryType2Type1",
    "WebhookChangeRequestDeliveryType3Type1",
    "WebhookChangeRequestHeadersType0",
    "WebhookChangeRequestTransformType0",
    "WebhookChangeRequestTransformType1",
    "WebhookChanged",
    "WebhookList",
    "WebhookRequest",
    "WebhookRequestDeliveryType1",
    "WebhookRequestDeliveryType2Type1",
    "WebhookRequestDeliveryType3Type1",
    "WebhookRequestHeadersType0",
    "WebhookRequestTransformType0",
    "WebhookRequestTransformType1",
    "WebhookView",
    "WebhookViewDelivery",
    "WebhookViewFilterType0",
    "WebhookViewHeaders",
    "WebhookViewTransformType0",
    "WebhookViewTransformType1",
)
