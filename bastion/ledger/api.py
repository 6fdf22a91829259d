"""The ledger over JSON: accounts, transactions, statements, allocations, special dues, figures.

Amounts are strings with two places (JSON numbers would round them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bastion.access.decorators import scoped
from bastion.ledger import selectors, services
from bastion.ledger.models import Account, AccountKind, DuesReceipt, Transaction
from bastion.ledger.money import fmt
from bastion.orgs.models import Organization
from bastion.people.models import Person

router = Router(tags=["ledger"])


class AccountOut(Schema):
    id: int
    name: str
    organization_id: int
    organization: str
    fund_source: str
    kind: str
    ring_fenced: bool
    balance: str
    allowed_purposes: list[str]

    @staticmethod
    def resolve_name(obj: Account) -> str:
        return obj.label

    @staticmethod
    def resolve_organization(obj: Account) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_balance(obj: Account) -> str:
        return fmt(obj.balance)

    @staticmethod
    def resolve_allowed_purposes(obj: Account) -> list[str]:
        return [p.code for p in obj.allowed_purposes.all()]


class EntryOut(Schema):
    account_id: int
    account: str
    amount: str


class TransactionOut(Schema):
    id: int
    kind: str
    date: dt.date
    organization_id: int
    purpose: str | None
    memo: str
    reverses_id: int | None
    reversed_by_id: int | None
    entries: list[EntryOut]

    @staticmethod
    def resolve_purpose(obj: Transaction) -> str | None:
        return obj.purpose.code if obj.purpose else None

    @staticmethod
    def resolve_reversed_by_id(obj: Transaction) -> int | None:
        reversal = Transaction.objects.filter(reverses=obj).only("pk").first()
        return reversal.pk if reversal else None

    @staticmethod
    def resolve_entries(obj: Transaction) -> list[dict[str, Any]]:
        return [{"account_id": e.account_id, "account": e.account.label, "amount": fmt(e.amount)}
                for e in obj.entries.select_related("account")]


class StatementLineOut(Schema):
    date: str
    transaction: int
    kind: str
    memo: str
    amount: str
    balance: str


class StatementOut(Schema):
    account: str
    start: str
    end: str
    opening: str
    total_in: str
    total_out: str
    closing: str
    lines: list[StatementLineOut]


class TargetIn(Schema):
    organization_id: int
    amount: str = Field(..., examples=["150000.00"])


class AllocationIn(Schema):
    source_account_id: int
    date: dt.date
    memo: str = ""
    targets: list[TargetIn]


class ReceiptIn(Schema):
    account_id: int
    amount: str
    date: dt.date
    memo: str = ""


class SpecialDuesIn(Schema):
    organization_id: int
    payer_name: str = ""
    payer_id: int | None = None
    amount: str
    date: dt.date


class DuesReceiptOut(Schema):
    id: int
    number: str
    organization_id: int
    payer_id: int | None
    payer_name: str
    amount: str
    date: dt.date
    transaction_id: int

    @staticmethod
    def resolve_amount(obj: DuesReceipt) -> str:
        return fmt(obj.amount)


class ReverseIn(Schema):
    date: dt.date
    reason: str


class FiguresOut(Schema):
    allocated: str


def _org(request: HttpRequest, pk: int) -> Organization:
    return get_object_or_404(
        Organization.objects.filter(request.scope.org_visible_q("ledger.change")), pk=pk  # type: ignore[attr-defined]
    )


@router.get("/accounts", response=list[AccountOut])
@scoped("ledger.view", api=True)
@paginate(LimitOffsetPagination)
def list_accounts(request: HttpRequest, organization_id: int | None = None, kind: AccountKind | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.account_list(scope=request.scope, kind=kind)  # type: ignore[attr-defined]
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs.prefetch_related("allowed_purposes")


@router.get("/accounts/{account_id}", response=AccountOut)
@scoped("ledger.view", api=True)
def get_account(request: HttpRequest, account_id: int) -> Account:
    return selectors.account_get(scope=request.scope, pk=account_id)  # type: ignore[attr-defined]


@router.get("/accounts/{account_id}/statement", response=StatementOut)
@scoped("ledger.view", api=True)
def account_statement(request: HttpRequest, account_id: int, start: dt.date, end: dt.date) -> dict[str, Any]:
    scope = request.scope  # type: ignore[attr-defined]
    account = selectors.account_get(scope=scope, pk=account_id)
    return selectors.account_statement(scope=scope, account=account, start=start, end=end).as_dict()


@router.get("/transactions", response=list[TransactionOut])
@scoped("ledger.view", api=True)
@paginate(LimitOffsetPagination)
def list_transactions(request: HttpRequest, account_id: int | None = None, kind: str | None = None):  # type: ignore[no-untyped-def]
    scope = request.scope  # type: ignore[attr-defined]
    account = selectors.account_get(scope=scope, pk=account_id) if account_id else None
    return selectors.transaction_list(scope=scope, account=account, kind=kind)


@router.get("/transactions/{transaction_id}", response=TransactionOut)
@scoped("ledger.view", api=True)
def get_transaction(request: HttpRequest, transaction_id: int) -> Transaction:
    return selectors.transaction_get(scope=request.scope, pk=transaction_id)  # type: ignore[attr-defined]


@router.post("/transactions/{transaction_id}/reverse", response={201: TransactionOut})
@scoped("ledger.change", api=True)
def reverse_transaction(request: HttpRequest, transaction_id: int, payload: ReverseIn) -> Status[Transaction]:
    scope = request.scope  # type: ignore[attr-defined]
    txn = selectors.transaction_get(scope=scope, pk=transaction_id)
    return Status(201, services.transaction_reverse(scope=scope, txn=txn, date=payload.date, reason=payload.reason))


@router.post("/allocations", response={201: TransactionOut})
@scoped("ledger.change", api=True)
def create_allocation(request: HttpRequest, payload: AllocationIn) -> Status[Transaction]:
    scope = request.scope  # type: ignore[attr-defined]
    source = selectors.account_get(scope=scope, pk=payload.source_account_id)
    targets = [(get_object_or_404(Organization, pk=t.organization_id), t.amount) for t in payload.targets]
    return Status(201, services.allocation_post(scope=scope, source=source, targets=targets, date=payload.date,
                                                memo=payload.memo))


@router.post("/receipts", response={201: TransactionOut})
@scoped("ledger.change", api=True)
def create_receipt(request: HttpRequest, payload: ReceiptIn) -> Status[Transaction]:
    scope = request.scope  # type: ignore[attr-defined]
    account = selectors.account_get(scope=scope, pk=payload.account_id)
    return Status(201, services.receipt_post(scope=scope, account=account, amount=payload.amount, date=payload.date,
                                             memo=payload.memo))


@router.get("/special-dues", response=list[DuesReceiptOut])
@scoped("ledger.view", api=True)
@paginate(LimitOffsetPagination)
def list_special_dues(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.receipt_list(scope=request.scope)  # type: ignore[attr-defined]


@router.post("/special-dues", response={201: DuesReceiptOut})
@scoped("ledger.change", api=True)
def create_special_dues(request: HttpRequest, payload: SpecialDuesIn) -> Status[DuesReceipt]:
    scope = request.scope  # type: ignore[attr-defined]
    payer = get_object_or_404(Person.objects.filter(scope.person_visible_q("person.view")), pk=payload.payer_id) \
        if payload.payer_id else None
    return Status(201, services.special_dues_receive(
        scope=scope, organization=_org(request, payload.organization_id), payer_name=payload.payer_name,
        payer=payer, amount=payload.amount, date=payload.date,
    ))


@router.get("/figures", response=FiguresOut)
@scoped("ledger.view", api=True)
def figures(request: HttpRequest, start: dt.date | None = None, end: dt.date | None = None) -> dict[str, str]:
    return {"allocated": fmt(selectors.funds_allocated(scope=request.scope, start=start, end=end))}  # type: ignore[attr-defined]


