"""Operating errors: a stable code and parameters; ui/messages.py turns each code into a sentence.

A DomainError means the request was refused and nothing was written.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "domain_error"
    message = "The request was refused."

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.describe())

    def describe(self) -> str:
        try:
            return self.message.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return f"{self.message} {self.params}"


# --- amounts and currencies -------------------------------------------------------------------
class InvalidAmount(DomainError):
    code = "invalid_amount"
    message = "'{text}' is not an amount."


class NonPositiveAmount(DomainError):
    code = "non_positive_amount"
    message = "The amount must be greater than zero (got {amount})."


class NonFiniteAmount(DomainError):
    code = "non_finite_amount"
    message = "The amount must be a finite number (got {text})."


class TooPreciseAmount(DomainError):
    code = "too_precise_amount"
    message = "{currency} allows {exponent} decimal places; '{text}' has more."


class AmountTooLarge(DomainError):
    code = "amount_too_large"
    message = "The amount {amount} {currency} is above the maximum {maximum} {currency}."


class UnknownCurrency(DomainError):
    code = "unknown_currency"
    message = "'{currency}' is not an ISO 4217 currency code."


class CurrencyMismatch(DomainError):
    code = "currency_mismatch"
    message = "Account {account} is in {account_currency}, the amount is in {currency}."


# --- accounts -----------------------------------------------------------------------------------
class UnknownAccount(DomainError):
    code = "unknown_account"
    message = "There is no account {account}."


class AccountClosed(DomainError):
    code = "account_closed"
    message = "Account {account} is closed."


class AccountFrozen(DomainError):
    code = "account_frozen"
    message = "Account {account} is frozen."


class AccountDormant(DomainError):
    code = "account_dormant"
    message = "Account {account} is dormant: it must be reactivated before money leaves it."


class SameAccountTransfer(DomainError):
    code = "same_account_transfer"
    message = "The source and destination are the same account ({account})."


class InsufficientFunds(DomainError):
    code = "insufficient_funds"
    message = "Account {account} has {available} {currency} available; {requested} {currency} was asked."


class UnknownCustomer(DomainError):
    code = "unknown_customer"
    message = "There is no customer {customer}."


class UnknownBranch(DomainError):
    code = "unknown_branch"
    message = "There is no branch {branch}."


# --- journal ------------------------------------------------------------------------------------
class UnbalancedEntry(DomainError):
    code = "unbalanced_entry"
    message = "The entry does not balance in {currency}: debits minus credits is {difference}."


class InvalidEntry(DomainError):
    code = "invalid_entry"
    message = "The entry is not valid: {reason}."


class IdempotencyConflict(DomainError):
    code = "idempotency_conflict"
    message = "Request key {key} was already used for a different request."


class InvalidIdempotencyKey(DomainError):
    code = "invalid_idempotency_key"
    message = "The request key must be 8 to {maximum} characters of letters, digits, '-' or '_'."


class UnknownEntry(DomainError):
    code = "unknown_entry"
    message = "There is no journal entry {entry}."


class AlreadyReversed(DomainError):
    code = "already_reversed"
    message = "Entry {entry} has already been reversed."


class CannotReverseReversal(DomainError):
    code = "cannot_reverse_reversal"
    message = "Entry {entry} is itself a reversal; post a new entry instead."


class BusinessDateError(DomainError):
    code = "business_date"
    message = "The business date cannot move from {current} to {requested}."


class TransactionConflict(DomainError):
    code = "transaction_conflict"
    message = "The database stayed busy after {attempts} attempts; nothing was posted. Try again."


class InvalidInput(DomainError):
    code = "invalid_input"
    message = "{field}: {reason}."


class PermissionDenied(DomainError):
    code = "permission_denied"
    message = "{user} may not {action}."


# --- desktop --------------------------------------------------------------------------------------
class UnexpectedFailure(DomainError):
    """What a screen shows for a fault that is not an operating error: never a traceback."""

    code = "unexpected_failure"
    message = "Something went wrong; the details are in the log (reference {reference})."


# --- sanctions screening ------------------------------------------------------------------------
class ListFileInvalid(DomainError):
    code = "sanctions_file_invalid"
    message = "{file}, {where}: {reason}. Nothing was imported; the previous version stays active."


class ListTypeUnknown(DomainError):
    code = "sanctions_list_type_unknown"
    message = "{file}: not a recognised sanctions list file ({reason})."


class InvalidScreeningName(DomainError):
    code = "sanctions_invalid_name"
    message = "The name to screen {reason}."


class UnknownHit(DomainError):
    code = "sanctions_unknown_hit"
    message = "There is no screening hit {hit}."


class HitNotOpen(DomainError):
    code = "sanctions_hit_not_open"
    message = "Hit {hit} is {status}; only {expected} hits can take this decision."


class SelfApproval(DomainError):
    code = "sanctions_self_approval"
    message = "{user} requested clearing hit {hit} and may not approve it too: a second person must."


class NoActiveLists(DomainError):
    code = "sanctions_no_active_lists"
    message = "No sanctions list is loaded: import one with `cbs sanctions import`."

# --- foreign exchange ---------------------------------------------------------------------------
class FxInvalidRate(DomainError):
    code = "fx_invalid_rate"
    message = "The {field} rate '{text}' is not valid: {reason}."


class FxSellBelowBuy(DomainError):
    code = "fx_sell_below_buy"
    message = "{currency}: the sell rate {sell} is below the buy rate {buy}."


class FxMidOutsideSpread(DomainError):
    code = "fx_mid_outside_spread"
    message = "{currency}: the mid rate {mid} is not between buy {buy} and sell {sell}."


class FxSameCurrency(DomainError):
    code = "fx_same_currency"
    message = "An exchange needs two different currencies ({currency} to {currency})."


class FxAmountTooSmall(DomainError):
    code = "fx_amount_too_small"
    message = "{amount} {currency} buys less than the smallest unit of {target}."


class FxNoRate(DomainError):
    code = "fx_no_rate"
    message = "There is no rate in force for {currency}."


class FxStaleRate(DomainError):
    code = "fx_stale_rate"
    message = "The {currency} rate is {age_minutes} minutes old (limit {max_minutes}); a supervisor override is needed."


class FxSelfApproval(DomainError):
    code = "fx_self_approval"
    message = "{user} entered rate {rate} and may not approve it; another user must."


class FxRateNotPending(DomainError):
    code = "fx_rate_not_pending"
    message = "Rate {rate} is {status}, not waiting for approval."


class FxUnknownRate(DomainError):
    code = "fx_unknown_rate"
    message = "There is no rate {rate}."


class FxRateFileInvalid(DomainError):
    code = "fx_rate_file_invalid"
    message = "Rate file refused, line {line}: {reason}. No rate was changed."


class FxRateChanged(DomainError):
    code = "fx_rate_changed"
    message = "The rate changed since the quote: {expected} {currency} was shown, now {actual}."


class FxNotCashAccount(DomainError):
    code = "fx_not_cash_account"
    message = "Account {account} is not a cash account (a GL asset account is needed)."


class FxNotCustomerAccount(DomainError):
    code = "fx_not_customer_account"
    message = "Account {account} is not a customer account."


# --- identity, authentication, branch scope, maker-checker (issue 3) ----------------------------
# A refusal that must be recorded even though its transaction rolled back carries a follow-up:
# exc.followup = (service, kwargs); CoreContext runs it in its own transaction after the refusal.
class AuthenticationFailed(DomainError):
    code = "authentication_failed"
    message = "Wrong user name or password."


class TotpRequired(DomainError):
    code = "totp_required"
    message = "Enter the six-digit code from your authenticator app."


class TotpInvalid(DomainError):
    code = "totp_invalid"
    message = "The one-time code is wrong or has expired."


class AccountLocked(DomainError):
    code = "account_locked"
    message = "User {user} is locked after too many failed attempts until {until} UTC."


class UserDisabled(DomainError):
    code = "user_disabled"
    message = "User {user} is disabled."


class PasswordChangeRequired(DomainError):
    code = "password_change_required"
    message = "User {user} must change their password before doing anything else."


class PasswordPolicy(DomainError):
    code = "password_policy"
    message = "The new password is not acceptable: {reason}."


class PasswordReused(DomainError):
    code = "password_reused"
    message = "The new password was used recently; choose one not among the last {count}."


class UnknownUser(DomainError):
    code = "unknown_user"
    message = "There is no user {user}."


class UserExists(DomainError):
    code = "user_exists"
    message = "User name {user} is already taken."


class UnknownRole(DomainError):
    code = "unknown_role"
    message = "There is no role {role}."


class UnknownPermission(DomainError):
    code = "unknown_permission"
    message = "There is no permission {permission}."


class UnknownSession(DomainError):
    code = "unknown_session"
    message = "Session {session} is unknown or already ended."


class TotpNotEnrolled(DomainError):
    code = "totp_not_enrolled"
    message = "User {user} has not started two-factor enrolment."


class BranchScopeDenied(DomainError):
    code = "branch_scope_denied"
    message = "{user} works in branch {own}; branch {branch} is outside their scope."


class ApprovalRequired(DomainError):
    code = "approval_required"
    message = "{action} needs a second person's approval: submit it as a request."


class ApprovalNotRequired(DomainError):
    code = "approval_not_required"
    message = "No maker-checker rule applies to {action} with these values; do it directly."


class UnknownApprovalAction(DomainError):
    code = "unknown_approval_action"
    message = "{action} cannot go through maker-checker."


class UnknownApprovalRequest(DomainError):
    code = "unknown_approval_request"
    message = "There is no approval request {request}."


class ApprovalAlreadyDecided(DomainError):
    code = "approval_already_decided"
    message = "Request {request} was already {status} by {checker}."


class MakerCannotDecide(DomainError):
    code = "maker_cannot_decide"
    message = "{user} made request {request} and cannot approve or refuse it."


# --- demo data (cbs demo) ---------------------------------------------------------------------
class DemoBankExists(DomainError):
    code = "demo_bank_exists"
    message = "The database already has a bank ({bank}); cbs demo --reset rebuilds it from scratch."


# --- teller desk: tills, sessions, cash movements, overrides ----------------------------------
class UnknownDenomination(DomainError):
    code = "unknown_denomination"
    message = "{currency} has no note or coin of {denomination} (minor units)."


class InvalidCount(DomainError):
    code = "invalid_count"
    message = "The count of {currency} {denomination} pieces must be a whole number from 0 (got {count})."


class UnknownTill(DomainError):
    code = "unknown_till"
    message = "There is no till {till}."


class UnknownTillSession(DomainError):
    code = "unknown_till_session"
    message = "There is no till session {session}."


class TillAlreadyOpen(DomainError):
    code = "till_already_open"
    message = "Till {till} is already open (session {session})."


class TillClosed(DomainError):
    code = "till_closed"
    message = "Till {till} is closed: it cannot transact."


class NotSessionTeller(DomainError):
    code = "not_session_teller"
    message = "{user} is not the teller of till {till}'s open session."


class TillCurrencyNotHeld(DomainError):
    code = "till_currency_not_held"
    message = "Till {till} does not hold {currency}."


class OpeningCountMismatch(DomainError):
    code = "opening_count_mismatch"
    message = "The opening count of {currency} is {counted}; the till holds {expected}. Recount or call a supervisor."


class OverrideRequired(DomainError):
    code = "override_required"
    message = "{amount} {currency} is above the {role} limit of {limit} {currency} for a {kind}: a supervisor must approve."


class OverrideNotPermitted(DomainError):
    code = "override_not_permitted"
    message = "{user} may not approve teller overrides."


class SelfOverride(DomainError):
    code = "self_override"
    message = "{user} cannot approve their own transaction."


class SupervisorNoteRequired(DomainError):
    code = "supervisor_note_required"
    message = "A variance of {variance} {currency} needs a supervisor and a note."


class UnknownTellerTransaction(DomainError):
    code = "unknown_teller_transaction"
    message = "There is no teller transaction {transaction}."


class ReversalTooOld(DomainError):
    code = "reversal_too_old"
    message = "Transaction {reference} is from {business_date}; only same-day transactions can be reversed here."


class PendingCashMovements(DomainError):
    code = "pending_cash_movements"
    message = "Till {till} has {count} cash movement(s) awaiting confirmation."


class UnknownCashMovement(DomainError):
    code = "unknown_cash_movement"
    message = "There is no cash movement {movement}."


class CashMovementNotPending(DomainError):
    code = "cash_movement_not_pending"
    message = "Cash movement {movement} is {status}, not pending."


class SelfConfirmation(DomainError):
    code = "self_confirmation"
    message = "{user} sent cash movement {movement}; the receiving side must confirm it."


class TillCashShort(DomainError):
    code = "till_cash_short"
    message = "Till {till} holds {available} {currency}; {requested} {currency} was asked."
