"""Customers: the owners of accounts (minimal here; KYC and screening build on it)."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import date

from sqlalchemy import select

from core import errors, limits
from core.dto import CustomerDTO
from core.models.customers import CUSTOMER_KINDS, Customer
from core.models.org import Branch
from core.services import audit, authz
from core.services.sanctions import screen_new_customer
from core.unit_of_work import UnitOfWork


def to_dto(c: Customer) -> CustomerDTO:
    return CustomerDTO(c.id, c.customer_no, c.kind, c.full_name, c.born_on, c.national_id,
                       c.branch_id)


def create_customer(uow: UnitOfWork, *, kind: str, full_name: str, branch_id: int,
                    born_on: date | None = None, national_id: str | None = None,
                    phone: str | None = None, email: str | None = None,
                    country: str | None = None) -> CustomerDTO:
    authz.require(uow, "customers.create")
    if kind not in CUSTOMER_KINDS:
        raise errors.InvalidInput(field="kind", reason="person or organisation")
    name = " ".join(full_name.split())
    if not name or not any(ch.isalpha() for ch in name):
        raise errors.InvalidInput(field="full_name", reason="a name needs letters")
    if len(name) > limits.MAX_NAME_CHARS:
        raise errors.InvalidInput(field="full_name",
                                  reason=f"longer than {limits.MAX_NAME_CHARS} characters")
    if born_on is not None and born_on > uow.clock.now().date():
        raise errors.InvalidInput(field="born_on", reason="a date in the future")
    if uow.session.get(Branch, branch_id) is None:
        raise errors.UnknownBranch(branch=branch_id)
    authz.require_branch(uow, branch_id)
    customer = Customer(customer_no=_new_customer_no(uow), kind=kind, full_name=name,
                        born_on=born_on, national_id=national_id, phone=phone, email=email,
                        country=country, branch_id=branch_id, created_at=uow.clock.now())
    uow.session.add(customer)
    uow.session.flush()
    audit.append(uow, action="customers.create", entity_type="customer", entity_id=customer.id,
                 payload={"after": {"customer_no": customer.customer_no, "name": name,
                                    "kind": kind, "national_id": national_id}})
    screening = screen_new_customer(uow, customer)  # the screening point at creation
    hits = len(screening.new_hits) if screening else 0
    return dataclasses.replace(to_dto(customer), sanctions_hits=hits)


def _new_customer_no(uow: UnitOfWork) -> str:
    for _ in range(20):
        number = "C" + "".join(secrets.choice("0123456789") for _ in range(9))
        if uow.session.execute(select(Customer.id).where(Customer.customer_no == number)).first() is None:
            return number
    raise errors.InvalidInput(field="customer_no", reason="could not allocate a number")


def get_customer(uow: UnitOfWork, *, customer_id: int) -> CustomerDTO:
    c = uow.session.get(Customer, customer_id)
    if c is None:
        raise errors.UnknownCustomer(customer=customer_id)
    return to_dto(c)
