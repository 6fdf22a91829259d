"""Writes to the ledger. Every posting is one transaction whose entries sum to zero.

Concurrency: the accounts a posting touches are locked with SELECT … FOR UPDATE in
primary-key order (PostgreSQL), and SQLite runs with transaction_mode=IMMEDIATE so that
writers queue. Balances are checked on the locked rows and changed with F() expressions;
the CheckConstraint on fund balances is the last line of defence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from bastion.access.scope import Scope
from bastion.core import audit
from bastion.ledger.models import (
    ZERO,
    Account,
    AccountKind,
    DuesReceipt,
    Entry,
    FundSource,
    Purpose,
    Transaction,
    TransactionKind,
)
from bastion.ledger.money import fmt, to_money
from bastion.orgs.models import Organization
from bastion.people.models import Person

# The dues rules: allocated party dues may pay for these (configurable afterwards; the data
# migration creates them, and they are recreated here if a database was emptied).
DEFAULT_PURPOSES = [
    ("prevention_supplies", "防控物資"),
    ("frontline_visits", "慰問醫務人員和一線幹部"),
    ("hardship_aid", "幫扶生活困難黨員"),
]


def default_purposes() -> list[Purpose]:
    """The purposes the dues rules allow by default."""
    codes = [code for code, _name in DEFAULT_PURPOSES]
    if Purpose.objects.filter(code__in=codes).count() != len(codes):
        for code, name in DEFAULT_PURPOSES:
            Purpose.objects.get_or_create(code=code, defaults={"name": name, "default_for_dues": True})
    return list(Purpose.objects.filter(default_for_dues=True))


def purpose_create(*, scope: Scope, code: str, name: str, default_for_dues: bool = False) -> Purpose:
    if not scope.has("ledger.change") or "district_admin" not in scope.roles:
        scope.deny(_("Only the district may configure purposes."))
    code, name = (code or "").strip(), (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the purpose a name.")})
    if Purpose.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A purpose with this code exists already.")})
    with transaction.atomic():
        purpose = Purpose(code=code, name=name, default_for_dues=default_for_dues)
        purpose.full_clean()
        purpose.save()
        audit.record(scope.user, "purpose.create", purpose, audit.diff({}, audit.snapshot(purpose)))
    return purpose


def account_ensure(
    *,
    scope: Scope,
    organization: Organization,
    fund_source: str,
    kind: str = AccountKind.FUND,
    ring_fenced: bool = False,
    allowed_purposes: Iterable[Purpose] | None = None,
) -> Account:
    """The organisation's account for a fund source and kind, opened if it does not exist yet."""
    scope.require("ledger.change", org=organization)
    if fund_source not in FundSource.values:
        raise ValidationError({"fund_source": _("Unknown fund source.")})
    if kind not in AccountKind.values:
        raise ValidationError({"kind": _("Unknown account kind.")})
    if ring_fenced and kind != AccountKind.FUND:
        raise ValidationError({"ring_fenced": _("Only a fund can be ring-fenced.")})
    existing = Account.objects.filter(
        organization=organization, fund_source=fund_source, kind=kind, ring_fenced=ring_fenced
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        try:
            # A savepoint: if another transaction opened the same account meanwhile, use theirs.
            with transaction.atomic():
                account = Account.objects.create(
                    organization=organization,
                    fund_source=fund_source,
                    kind=kind,
                    ring_fenced=ring_fenced,
                )
        except IntegrityError:
            return Account.objects.get(
                organization=organization, fund_source=fund_source, kind=kind, ring_fenced=ring_fenced
            )
        purposes = list(allowed_purposes) if allowed_purposes is not None else []
        if ring_fenced and allowed_purposes is None:
            purposes = default_purposes()
        if purposes:
            account.allowed_purposes.set(purposes)
        changes = audit.diff({}, audit.snapshot(account, ["organization_id", "fund_source", "kind", "ring_fenced"]))
        if purposes:
            changes["allowed_purposes"] = [[], sorted(p.code for p in purposes)]
        audit.record(scope.user, "account.open", account, changes)
    return account


def account_set_purposes(*, scope: Scope, account: Account, purposes: Iterable[Purpose]) -> Account:
    """Configure what a ring-fenced account may be spent on."""
    scope.require("ledger.change", org=account.organization)
    if not account.ring_fenced:
        raise ValidationError({"allowed_purposes": _("Only a ring-fenced account has allowed purposes.")})
    chosen = list(purposes)
    with transaction.atomic():
        before = sorted(account.allowed_purposes.values_list("code", flat=True))
        account.allowed_purposes.set(chosen)
        after = sorted(p.code for p in chosen)
        audit.record(scope.user, "account.purposes", account, {"allowed_purposes": [before, after]})
    return account


def _lock(accounts: Iterable[Account]) -> dict[int, Account]:
    """Lock the rows in primary-key order, so two postings never wait on each other in a cycle."""
    pks = sorted({a.pk for a in accounts})
    return {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=pks).order_by("pk")}


def _post(
    *,
    scope: Scope,
    kind: str,
    date: dt.date,
    organization: Organization,
    lines: Sequence[tuple[Account, Decimal]],
    purpose: Purpose | None = None,
    memo: str = "",
    reverses: Transaction | None = None,
) -> Transaction:
    """Post one balanced transaction. Call inside transaction.atomic()."""
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("Give the date of the transaction.")})
    merged: dict[int, Decimal] = {}
    by_pk: dict[int, Account] = {}
    for account, amount in lines:
        merged[account.pk] = merged.get(account.pk, ZERO) + amount
        by_pk[account.pk] = account
    merged = {pk: amount for pk, amount in merged.items() if amount != 0}
    if not merged:
        raise ValidationError({"amount": _("A transaction must move some money.")})
    if sum(merged.values(), ZERO) != ZERO:
        raise ValidationError({"entries": _("The entries of a transaction must sum to zero.")})
    locked = _lock(by_pk.values())
    receiving_funds = [locked[pk] for pk, amount in merged.items() if amount > 0 and locked[pk].kind == "fund"]
    for pk, amount in merged.items():
        account = locked[pk]
        if amount >= 0:
            continue
        if account.kind == AccountKind.FUND and account.balance + amount < 0:
            raise ValidationError(
                {
                    "amount": _("%(account)s holds %(balance)s yuan; %(needed)s yuan cannot be taken from it.")
                    % {"account": account.label, "balance": fmt(account.balance), "needed": fmt(-amount)}
                }
            )
        if account.ring_fenced and kind != TransactionKind.REVERSAL:
            passes_fence = kind == TransactionKind.ALLOCATION and receiving_funds and all(
                a.ring_fenced for a in receiving_funds
            )
            if not passes_fence and (
                purpose is None or not account.allowed_purposes.filter(pk=purpose.pk).exists()
            ):
                allowed = ", ".join(str(p) for p in account.allowed_purposes.all()) or "—"
                raise ValidationError(
                    {
                        "purpose": _("%(account)s is ring-fenced: it may be spent only on %(allowed)s.")
                        % {"account": account.label, "allowed": allowed}
                    }
                )
    txn = Transaction.objects.create(
        kind=kind,
        date=date,
        organization=organization,
        purpose=purpose,
        memo=(memo or "").strip()[:300],
        reverses=reverses,
        posted_by=scope.user if getattr(scope.user, "is_authenticated", False) else None,
    )
    Entry.objects.bulk_create([Entry(transaction=txn, account_id=pk, amount=amount) for pk, amount in merged.items()])
    for pk, amount in merged.items():
        Account.objects.filter(pk=pk).update(balance=F("balance") + amount)
    audit.record(
        scope.user,
        f"transaction.{kind}",
        txn,
        {
            "date": [None, date.isoformat()],
            "purpose": [None, purpose.code if purpose else None],
            "entries": [None, {str(locked[pk]): str(amount) for pk, amount in merged.items()}],
        },
    )
    return txn


def receipt_post(
    *, scope: Scope, account: Account, amount: object, date: dt.date, memo: str = ""
) -> Transaction:
    """Money received from outside (a higher level's allocation, a donation) into a fund account."""
    value = to_money(amount)
    scope.require("ledger.change", org=account.organization)
    if account.kind != AccountKind.FUND:
        raise ValidationError({"account": _("Money is received into a fund account.")})
    with transaction.atomic():
        income = account_ensure(
            scope=scope, organization=account.organization, fund_source=account.fund_source, kind=AccountKind.INCOME
        )
        return _post(
            scope=scope,
            kind=TransactionKind.RECEIPT,
            date=date,
            organization=account.organization,
            lines=[(income, -value), (account, value)],
            memo=memo,
        )


def allocation_post(
    *,
    scope: Scope,
    source: Account,
    targets: Sequence[tuple[Organization, object]],
    date: dt.date,
    memo: str = "",
) -> Transaction:
    """Allocate from a higher organisation's fund to lower ones; the money arrives ring-fenced."""
    scope.require("ledger.change", org=source.organization)
    if source.kind != AccountKind.FUND:
        raise ValidationError({"source": _("Allocate from a fund account.")})
    if not targets:
        raise ValidationError({"targets": _("Name at least one organisation to allocate to.")})
    parsed: list[tuple[Organization, Decimal]] = []
    for index, (org, amount) in enumerate(targets):
        value = to_money(amount, field=f"targets.{index}.amount")
        if org.pk == source.organization.pk or not org.path.startswith(source.organization.path):
            raise ValidationError(
                {f"targets.{index}.organization": _("%(org)s is not below %(source)s.")
                 % {"org": org.name, "source": source.organization.name}}
            )
        parsed.append((org, value))
    purposes = list(source.allowed_purposes.all()) if source.ring_fenced else None
    with transaction.atomic():
        lines: list[tuple[Account, Decimal]] = []
        total = ZERO
        for org, value in parsed:
            target = account_ensure(
                scope=scope, organization=org, fund_source=source.fund_source, ring_fenced=True,
                allowed_purposes=purposes,
            )
            lines.append((target, value))
            total += value
        lines.append((source, -total))
        return _post(
            scope=scope,
            kind=TransactionKind.ALLOCATION,
            date=date,
            organization=source.organization,
            lines=lines,
            memo=memo,
        )


def payment_post(
    *,
    scope: Scope,
    account: Account,
    amount: object,
    purpose: Purpose | None,
    date: dt.date,
    memo: str = "",
    kind: str = TransactionKind.PAYMENT,
) -> Transaction:
    """Spend from a fund account (a purchase, a subsidy). Call inside the caller's atomic block."""
    value = to_money(amount)
    scope.require("ledger.change", org=account.organization)
    if account.kind != AccountKind.FUND:
        raise ValidationError({"account": _("Pay from a fund account.")})
    with transaction.atomic():
        expense = account_ensure(
            scope=scope, organization=account.organization, fund_source=account.fund_source, kind=AccountKind.EXPENSE
        )
        return _post(
            scope=scope,
            kind=kind,
            date=date,
            organization=account.organization,
            lines=[(account, -value), (expense, value)],
            purpose=purpose,
            memo=memo,
        )


def special_dues_receive(
    *,
    scope: Scope,
    organization: Organization,
    payer_name: str,
    amount: object,
    date: dt.date,
    payer: Person | None = None,
) -> DuesReceipt:
    """A member's voluntary special dues into the organisation's own fund, with a receipt."""
    value = to_money(amount)
    scope.require("ledger.change", org=organization)
    payer_name = (payer_name or (payer.name if payer else "")).strip()
    if not payer_name:
        raise ValidationError({"payer_name": _("Name the member who paid.")})
    with transaction.atomic():
        fund = account_ensure(scope=scope, organization=organization, fund_source=FundSource.SPECIAL_DUES)
        income = account_ensure(
            scope=scope, organization=organization, fund_source=FundSource.SPECIAL_DUES, kind=AccountKind.INCOME
        )
        txn = _post(
            scope=scope,
            kind=TransactionKind.SPECIAL_DUES,
            date=date,
            organization=organization,
            lines=[(income, -value), (fund, value)],
            memo=_("Voluntary special dues from %(name)s") % {"name": payer_name},
        )
        # The fund row is locked by _post, so receipts of one organisation are numbered one at a time.
        seq = DuesReceipt.objects.filter(organization=organization, date__year=date.year).count() + 1
        receipt = DuesReceipt.objects.create(
            number=f"SD{date:%Y}-{organization.pk:04d}-{seq:05d}",
            organization=organization,
            payer=payer,
            payer_name=payer_name[:100],
            amount=value,
            date=date,
            transaction=txn,
        )
        audit.record(scope.user, "dues_receipt.create", receipt, audit.diff({}, audit.snapshot(receipt)))
    return receipt


def transaction_owner(txn: Transaction) -> models.Model | None:
    """The record of another app that this transaction pays for (a purchase, a care case), if any.

    Found through the reverse one-to-one relations, so the ledger does not import the apps above it.
    """
    for rel in Transaction._meta.related_objects:
        model = rel.related_model
        if rel.one_to_one and not isinstance(model, str) and model._meta.app_label != Transaction._meta.app_label:
            try:
                return getattr(txn, rel.get_accessor_name() or "")  # type: ignore[no-any-return]
            except ObjectDoesNotExist:
                continue
    return None


def transaction_reverse(
    *, scope: Scope, txn: Transaction, date: dt.date, reason: str, via: models.Model | None = None
) -> Transaction:
    """Correct a posted transaction with its mirror image; the original stays as it was.

    A transaction that pays for a record of another app (a purchase, a care case) is reversed only
    through that record's own service (passed as via), which also undoes the record's side.
    """
    scope.require("ledger.change", org=txn.organization)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the transaction is reversed.")})
    if txn.kind == TransactionKind.REVERSAL:
        raise ValidationError({"transaction": _("A reversal cannot itself be reversed; post a new transaction.")})
    with transaction.atomic():
        original = Transaction.objects.select_for_update().get(pk=txn.pk)
        if Transaction.objects.filter(reverses=original).exists():
            raise ValidationError({"transaction": _("This transaction has already been reversed.")})
        owner = transaction_owner(original)
        if owner is not None and (via is None or type(via) is not type(owner) or via.pk != owner.pk):
            raise ValidationError({"transaction": _(
                "This transaction pays for a %(kind)s (%(name)s): reverse it from there, so that both are corrected."
            ) % {"kind": owner._meta.verbose_name, "name": owner}})
        lines = [(e.account, -e.amount) for e in original.entries.select_related("account")]
        return _post(
            scope=scope,
            kind=TransactionKind.REVERSAL,
            date=date,
            organization=original.organization,
            lines=lines,
            purpose=original.purpose,
            memo=_("Reversal of #%(pk)s: %(reason)s") % {"pk": original.pk, "reason": reason.strip()},
            reverses=original,
        )
