"""Funds: accounts per organisation and fund source, double-entry transactions in yuan.

A fund account's balance never goes below zero (a database constraint, and the services
lock the rows they change). Income and expense accounts are the counterparts outside
the organisation's own funds: money arrives from an income account and leaves to an
expense account, so every transaction's entries sum to zero.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bastion.core.models import BaseModel
from bastion.orgs.models import Organization
from bastion.people.models import Person

ZERO = Decimal("0.00")


class FundSource(models.TextChoices):
    CENTRAL = "central", _("Central allocation")
    PROVINCIAL = "provincial", _("Provincial allocation")
    MUNICIPAL = "municipal", _("Municipal allocation")
    DISTRICT_DUES = "district_dues", _("District-managed party dues")
    DONATION = "donation", _("Donations")
    SPECIAL_DUES = "special_dues", _("Voluntary special dues")


class AccountKind(models.TextChoices):
    FUND = "fund", _("Fund")
    INCOME = "income", _("Income (money received from outside)")
    EXPENSE = "expense", _("Expense (money spent)")


class TransactionKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ALLOCATION = "allocation", _("Allocation")
    PURCHASE = "purchase", _("Purchase")
    PAYMENT = "payment", _("Payment")
    SPECIAL_DUES = "special_dues", _("Voluntary special dues")
    REVERSAL = "reversal", _("Reversal")


class Purpose(BaseModel):
    """What ring-fenced money may be spent on (configurable)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    default_for_dues = models.BooleanField(
        _("allowed by default for allocated dues"), default=False,
        help_text=_("New ring-fenced accounts allow this purpose unless told otherwise."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Account(BaseModel):
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="accounts"
    )
    fund_source = models.CharField(_("fund source"), max_length=24, choices=FundSource.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices, default=AccountKind.FUND)
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("Leave empty for the usual name."))
    balance = models.DecimalField(_("balance"), default=ZERO, max_digits=14, decimal_places=2)
    ring_fenced = models.BooleanField(_("ring-fenced"), default=False)
    allowed_purposes = models.ManyToManyField(
        Purpose, verbose_name=_("allowed purposes"), blank=True, related_name="accounts"
    )
    history = HistoricalRecords(excluded_fields=["balance"], m2m_fields=[allowed_purposes])

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["organization__path", "kind", "fund_source"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="fund") | Q(balance__gte=0), name="ledger_fund_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AccountKind]), name="ledger_account_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(fund_source__in=[s.value for s in FundSource]), name="ledger_fund_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="fund") | Q(ring_fenced=False), name="ledger_only_funds_ring_fenced"
            ),
            models.UniqueConstraint(
                fields=["organization", "fund_source", "kind", "ring_fenced"], name="ledger_account_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The account's name, or one built in the reader's language from organisation, source and kind."""
        if self.name:
            return self.name
        source = FundSource(self.fund_source).label
        org = self.organization.name
        if self.kind == AccountKind.INCOME:
            return _("%(org)s · %(source)s · income") % {"org": org, "source": source}
        if self.kind == AccountKind.EXPENSE:
            return _("%(org)s · %(source)s · expenses") % {"org": org, "source": source}
        if self.ring_fenced:
            return _("%(org)s · %(source)s · allocated (ring-fenced)") % {"org": org, "source": source}
        return f"{org} · {source}"


class Immutable(models.Model):
    """Rows that are written once: saving an existing row or deleting one is refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionDenied(_("A posted transaction is never changed: post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDenied(_("A posted transaction is never deleted: post a reversal instead."))


class Transaction(Immutable):
    """A posted transaction. Never edited or deleted: a correction is a reversing transaction."""

    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    date = models.DateField(_("date"))
    organization = models.ForeignKey(
        Organization, verbose_name=_("posted by organisation"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.ForeignKey(
        Purpose, verbose_name=_("purpose"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in TransactionKind]), name="ledger_transaction_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="ledger_reversal_names_original",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.date:%Y-%m-%d} {self.get_kind_display()}"


class Entry(Immutable):
    """One line of a transaction: a positive amount enters the account, a negative one leaves it."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero")]
        indexes = [models.Index(fields=["account", "transaction"])]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class DuesReceipt(models.Model):
    """A receipt for one payer's voluntary special dues (主動繳納大額黨費)."""

    number = models.CharField(_("receipt number"), max_length=40, unique=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    payer = models.ForeignKey(
        Person, verbose_name=_("payer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payer_name = models.CharField(_("payer name"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"))
    transaction = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="dues_receipt")

    class Meta:
        verbose_name = _("dues receipt")
        verbose_name_plural = _("dues receipts")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_receipt_amount_positive")]

    def __str__(self) -> str:
        return self.number
