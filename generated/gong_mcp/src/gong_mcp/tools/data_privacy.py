"""Tools for Data Privacy."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def create_a_gong_data_privacy_erase_data_for_phone_number(
    ctx: Context,
    phone_number: Annotated[str, Field(validation_alias="phoneNumber", min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Delete the phone number, and all associated elements (/v2/data-privacy/erase-data-for-phone-number)

    POST /v2/data-privacy/erase-data-for-phone-number

    Given a phone number, this endpoint deletes from the Gong system any leads or contacts with a
    matching phone number or mobile phone number. Email messages sent to or from these leads/contacts
    are deleted. Calls where the leads/contacts appear are deleted. The deletion is not immediate, and
    may take several hours to complete.

    This endpoint contains a data integrity protection mechanism to prevent the deletion of an abnormal
    number of objects. If the deletion fails please contact support at help@gong.io

    Delete the data from your CRM and email system before performing this operation so that private data
    is not re-imported into Gong.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:data-privacy:delete'.

    Args:
        phone_number: The phone number. This number must start with a + (plus) sign followed by the country
            code, area code, and local phone number. All other non-digits are ignored. The following are
            examples of permitted phone numbers: +1 425 555 2671, +1-425-555-2671, +1 425 5552671,
            +14255552671, +1 425 555 26 71, +1(425) 555-2671, etc. Note: This parameter should be URL-
            encoded.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_data_privacy_erase_data_for_phone_number",
        {
            "phoneNumber": phone_number,
            "select": select,
        },
    )


async def create_a_gong_data_privacy_erase_data_for_email_address(
    ctx: Context,
    email_address: Annotated[str, Field(validation_alias="emailAddress", min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Delete the email address, and all associated elements (/v2/data-privacy/erase-data-for-email-address)

    POST /v2/data-privacy/erase-data-for-email-address

    Given an email address, this endpoint deletes from the Gong system any calls or email messages that
    reference this address. Email messages sent to or from the address are deleted. Calls where the
    email address appears (as a lead, contact, attendee or speaker) are deleted. Leads or Contacts with
    the email address are deleted. The deletion is not immediate, and may take several hours to
    complete.

    This endpoint contains a data integrity protection mechanism to prevent the deletion of an abnormal
    number of objects. If the deletion fails please contact support at help@gong.io

    Delete the data from your CRM and email system before performing this operation so that private data
    is not re-imported into Gong.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:data-privacy:delete'.

    Args:
        email_address: The email address.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_data_privacy_erase_data_for_email_address",
        {
            "emailAddress": email_address,
            "select": select,
        },
    )


async def list_all_gong_data_privacy_data_for_phone_numbers(
    ctx: Context,
    phone_number: Annotated[str, Field(validation_alias="phoneNumber", min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Retrieve all references to a phone number. (/v2/data-privacy/data-for-phone-number)

    GET /v2/data-privacy/data-for-phone-number

    Shows the elements in the Gong system that reference the given phone number. Given a phone number,
    this endpoint returns details of any leads or contacts with this phone number and their associated
    calls and email messages.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:data-privacy:read'.

    Args:
        phone_number: The phone number. This number must start with a + (plus) sign followed by the country
            code, area code, and local phone number. All other non-digits are ignored. The following are
            examples of permitted phone numbers: +1 425 555 2671, +1-425-555-2671, +1 425 5552671,
            +14255552671, +1 425 555 26 71, +1(425) 555-2671, etc. Note: This parameter should be URL-
            encoded.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_data_privacy_data_for_phone_numbers",
        {
            "phoneNumber": phone_number,
            "select": select,
        },
    )


async def list_all_gong_data_privacy_data_for_email_address(
    ctx: Context,
    email_address: Annotated[str, Field(validation_alias="emailAddress", min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Retrieve all references to an email address. (/v2/data-privacy/data-for-email-address)

    GET /v2/data-privacy/data-for-email-address

    Shows the elements in the Gong system that reference the given email address. Given an emails
    address, this endpoint returns details of all calls and email messages that reference this address,
    and any leads or contacts with this email address.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:data-privacy:read'.

    Args:
        email_address: The email address.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_data_privacy_data_for_email_address",
        {
            "emailAddress": email_address,
            "select": select,
        },
    )
