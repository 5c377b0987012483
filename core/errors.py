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
