"""DomainError code -> a translated sentence for the user.

Each code maps to an English source text marked for Qt's translation tools (context "errors");
the sentence is translated with QCoreApplication.translate, then filled with the error's
parameters. A code without an entry here (or a translation whose placeholders do not match)
falls back to the error's own describe(), so a new error is never shown as a traceback.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.errors import DomainError

log = logging.getLogger("cbs.ui.messages")

CONTEXT = "errors"

SENTENCES: dict[str, str] = {
    "domain_error": QT_TRANSLATE_NOOP("errors", "The request was refused."),
    "invalid_amount": QT_TRANSLATE_NOOP("errors", "'{text}' is not an amount."),
    "non_positive_amount": QT_TRANSLATE_NOOP(
        "errors", "The amount must be greater than zero (got {amount})."),
    "non_finite_amount": QT_TRANSLATE_NOOP(
        "errors", "The amount must be a finite number (got {text})."),
    "too_precise_amount": QT_TRANSLATE_NOOP(
        "errors", "{currency} allows {exponent} decimal places; '{text}' has more."),
    "amount_too_large": QT_TRANSLATE_NOOP(
        "errors", "The amount {amount} {currency} is above the maximum {maximum} {currency}."),
    "unknown_currency": QT_TRANSLATE_NOOP(
        "errors", "'{currency}' is not an ISO 4217 currency code."),
    "currency_mismatch": QT_TRANSLATE_NOOP(
        "errors", "Account {account} is in {account_currency}, the amount is in {currency}."),
    "unknown_account": QT_TRANSLATE_NOOP("errors", "There is no account {account}."),
    "account_closed": QT_TRANSLATE_NOOP("errors", "Account {account} is closed."),
    "account_frozen": QT_TRANSLATE_NOOP("errors", "Account {account} is frozen."),
    "account_dormant": QT_TRANSLATE_NOOP(
        "errors", "Account {account} is dormant: it must be reactivated before money leaves it."),
    "same_account_transfer": QT_TRANSLATE_NOOP(
        "errors", "The source and destination are the same account ({account})."),
    "insufficient_funds": QT_TRANSLATE_NOOP(
        "errors",
        "Account {account} has {available} {currency} available; {requested} {currency} was asked."),
    "unknown_customer": QT_TRANSLATE_NOOP("errors", "There is no customer {customer}."),
    "unknown_branch": QT_TRANSLATE_NOOP("errors", "There is no branch {branch}."),
    "unbalanced_entry": QT_TRANSLATE_NOOP(
        "errors",
        "The entry does not balance in {currency}: debits minus credits is {difference}."),
    "invalid_entry": QT_TRANSLATE_NOOP("errors", "The entry is not valid: {reason}."),
    "idempotency_conflict": QT_TRANSLATE_NOOP(
        "errors", "Request key {key} was already used for a different request."),
    "invalid_idempotency_key": QT_TRANSLATE_NOOP(
        "errors",
        "The request key must be 8 to {maximum} characters of letters, digits, '-' or '_'."),
    "unknown_entry": QT_TRANSLATE_NOOP("errors", "There is no journal entry {entry}."),
    "already_reversed": QT_TRANSLATE_NOOP("errors", "Entry {entry} has already been reversed."),
    "cannot_reverse_reversal": QT_TRANSLATE_NOOP(
        "errors", "Entry {entry} is itself a reversal; post a new entry instead."),
    "business_date": QT_TRANSLATE_NOOP(
        "errors", "The business date cannot move from {current} to {requested}."),
    "transaction_conflict": QT_TRANSLATE_NOOP(
        "errors",
        "The database stayed busy after {attempts} attempts; nothing was posted. Try again."),
    "invalid_input": QT_TRANSLATE_NOOP("errors", "{field}: {reason}."),
    "permission_denied": QT_TRANSLATE_NOOP(
        "errors", "User {user} does not have the permission {action}."),
    # foreign exchange
    "fx_amount_too_small": QT_TRANSLATE_NOOP(
        "errors", "{amount} {currency} buys less than the smallest unit of {target}."),
    "fx_invalid_rate": QT_TRANSLATE_NOOP(
        "errors", "The {field} rate '{text}' is not valid: {reason}."),
    "fx_mid_outside_spread": QT_TRANSLATE_NOOP(
        "errors", "{currency}: the mid rate {mid} is not between buy {buy} and sell {sell}."),
    "fx_no_rate": QT_TRANSLATE_NOOP("errors", "There is no rate in force for {currency}."),
    "fx_not_cash_account": QT_TRANSLATE_NOOP(
        "errors", "Account {account} is not a cash account (a GL asset account is needed)."),
    "fx_not_customer_account": QT_TRANSLATE_NOOP(
        "errors", "Account {account} is not a customer account."),
    "fx_rate_changed": QT_TRANSLATE_NOOP(
        "errors",
        "The rate changed since the quote: {expected} {currency} was shown, now {actual}."),
    "fx_rate_file_invalid": QT_TRANSLATE_NOOP(
        "errors", "Rate file refused, line {line}: {reason}. No rate was changed."),
    "fx_rate_not_pending": QT_TRANSLATE_NOOP(
        "errors", "Rate {rate} is {status}, not waiting for approval."),
    "fx_same_currency": QT_TRANSLATE_NOOP(
        "errors", "An exchange needs two different currencies ({currency} to {currency})."),
    "fx_self_approval": QT_TRANSLATE_NOOP(
        "errors", "{user} entered rate {rate} and may not approve it; another user must."),
    "fx_sell_below_buy": QT_TRANSLATE_NOOP(
        "errors", "{currency}: the sell rate {sell} is below the buy rate {buy}."),
    "fx_stale_rate": QT_TRANSLATE_NOOP(
        "errors",
        "The {currency} rate is {age_minutes} minutes old (limit {max_minutes}); a supervisor override is needed."),
    "fx_unknown_rate": QT_TRANSLATE_NOOP("errors", "There is no rate {rate}."),
    "unexpected_failure": QT_TRANSLATE_NOOP(
        "errors", "Something went wrong; the details are in the log (reference {reference})."),
    "sanctions_file_invalid": QT_TRANSLATE_NOOP(
        "errors",
        "{file}, {where}: {reason}. Nothing was imported; the previous version stays active."),
    "sanctions_list_type_unknown": QT_TRANSLATE_NOOP(
        "errors", "{file}: not a recognised sanctions list file ({reason})."),
    "sanctions_invalid_name": QT_TRANSLATE_NOOP("errors", "The name to screen {reason}."),
    "sanctions_unknown_hit": QT_TRANSLATE_NOOP("errors", "There is no screening hit {hit}."),
    "sanctions_hit_not_open": QT_TRANSLATE_NOOP(
        "errors", "Hit {hit} is {status}; only {expected} hits can take this decision."),
    "sanctions_self_approval": QT_TRANSLATE_NOOP(
        "errors",
        "{user} requested clearing hit {hit} and may not approve it too: a second person must."),
    "sanctions_no_active_lists": QT_TRANSLATE_NOOP(
        "errors", "No sanctions list is loaded: import one with `cbs sanctions import`."),
    # identity, authentication, maker-checker
    "authentication_failed": QT_TRANSLATE_NOOP("errors", "Wrong user name or password."),
    "totp_required": QT_TRANSLATE_NOOP(
        "errors", "Enter the six-digit code from your authenticator app."),
    "totp_invalid": QT_TRANSLATE_NOOP("errors", "The one-time code is wrong or has expired."),
    "account_locked": QT_TRANSLATE_NOOP(
        "errors",
        "User {user} is locked after too many failed attempts until {until} UTC. "
        "An administrator can unlock the account earlier."),
    "user_disabled": QT_TRANSLATE_NOOP(
        "errors", "User {user} is disabled; ask an administrator."),
    "password_change_required": QT_TRANSLATE_NOOP(
        "errors", "User {user} must change their password before doing anything else."),
    "password_policy": QT_TRANSLATE_NOOP(
        "errors", "The new password is not acceptable: {reason}."),
    "password_reused": QT_TRANSLATE_NOOP(
        "errors", "The new password was used recently; choose one not among the last {count}."),
    "unknown_user": QT_TRANSLATE_NOOP("errors", "There is no user {user}."),
    "user_exists": QT_TRANSLATE_NOOP("errors", "User name {user} is already taken."),
    "unknown_role": QT_TRANSLATE_NOOP("errors", "There is no role {role}."),
    "unknown_permission": QT_TRANSLATE_NOOP("errors", "There is no permission {permission}."),
    "unknown_session": QT_TRANSLATE_NOOP(
        "errors", "Session {session} is unknown or already ended."),
    "totp_not_enrolled": QT_TRANSLATE_NOOP(
        "errors", "User {user} has not started two-factor enrolment."),
    "branch_scope_denied": QT_TRANSLATE_NOOP(
        "errors", "{user} works in branch {own}; branch {branch} is outside their scope."),
    "approval_required": QT_TRANSLATE_NOOP(
        "errors", "{action} needs a second person's approval: submit it as a request."),
    "approval_not_required": QT_TRANSLATE_NOOP(
        "errors", "No maker-checker rule applies to {action} with these values; do it directly."),
    "unknown_approval_action": QT_TRANSLATE_NOOP(
        "errors", "{action} cannot go through maker-checker."),
    "unknown_approval_request": QT_TRANSLATE_NOOP(
        "errors", "There is no approval request {request}."),
    "approval_already_decided": QT_TRANSLATE_NOOP(
        "errors", "Request {request} was already {status} by {checker}."),
    "maker_cannot_decide": QT_TRANSLATE_NOOP(
        "errors",
        "{user} made request {request} and cannot approve or refuse it: another person must."),
    # teller desk
    "unknown_denomination": QT_TRANSLATE_NOOP(
        "errors", "{currency} has no note or coin of {denomination} (minor units)."),
    "invalid_count": QT_TRANSLATE_NOOP(
        "errors",
        "The count of {currency} {denomination} pieces must be a whole number from 0 "
        "(got {count})."),
    "unknown_till": QT_TRANSLATE_NOOP("errors", "There is no till {till}."),
    "unknown_till_session": QT_TRANSLATE_NOOP("errors", "There is no till session {session}."),
    "till_already_open": QT_TRANSLATE_NOOP(
        "errors", "Till {till} is already open (session {session})."),
    "till_closed": QT_TRANSLATE_NOOP("errors", "Till {till} is closed: it cannot transact."),
    "not_session_teller": QT_TRANSLATE_NOOP(
        "errors", "{user} is not the teller of till {till}'s open session."),
    "till_currency_not_held": QT_TRANSLATE_NOOP("errors", "Till {till} does not hold {currency}."),
    "opening_count_mismatch": QT_TRANSLATE_NOOP(
        "errors",
        "The opening count of {currency} is {counted}; the till holds {expected}. "
        "Recount or call a supervisor."),
    "override_required": QT_TRANSLATE_NOOP(
        "errors",
        "{amount} {currency} is above the {role} limit of {limit} {currency} for a {kind}: "
        "a supervisor must approve."),
    "override_not_permitted": QT_TRANSLATE_NOOP(
        "errors", "{user} may not approve teller overrides."),
    "self_override": QT_TRANSLATE_NOOP("errors", "{user} cannot approve their own transaction."),
    "supervisor_note_required": QT_TRANSLATE_NOOP(
        "errors",
        "The count differs from the books by {variance} {currency}: a supervisor must approve "
        "the close and write a note."),
    "unknown_teller_transaction": QT_TRANSLATE_NOOP(
        "errors", "There is no teller transaction {transaction}."),
    "reversal_too_old": QT_TRANSLATE_NOOP(
        "errors",
        "Transaction {reference} is from {business_date}; only same-day transactions can be "
        "reversed here."),
    "pending_cash_movements": QT_TRANSLATE_NOOP(
        "errors", "Till {till} has {count} cash movement(s) awaiting confirmation."),
    "unknown_cash_movement": QT_TRANSLATE_NOOP("errors", "There is no cash movement {movement}."),
    "cash_movement_not_pending": QT_TRANSLATE_NOOP(
        "errors", "Cash movement {movement} is {status}, not pending."),
    "self_confirmation": QT_TRANSLATE_NOOP(
        "errors",
        "{user} sent cash movement {movement}; the receiving side must confirm it."),
    "till_cash_short": QT_TRANSLATE_NOOP(
        "errors",
        "Till {till} holds {available} {currency}; {requested} {currency} was asked."),
}


def message_for(error: DomainError) -> str:
    """The sentence to show for a refused request, in the user's language."""
    source = SENTENCES.get(error.code)
    if source is None:
        return error.describe()
    text = QCoreApplication.translate(CONTEXT, source)
    try:
        return text.format(**error.params)
    except (KeyError, IndexError, ValueError):
        log.warning("message for code=%s does not fit its parameters", error.code)
        return error.describe()
