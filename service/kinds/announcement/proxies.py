"""announcement.proxies — 委托投票公告: who votes for whom, published before election day."""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import partial
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from ...checks import Problems
from ...filters import cn_date
from ..base import KindModel
from ..fields import Name, OptionalText, Place, Signature, Strict, Text

zh, en = cn_date, partial(cn_date, lang="en")

# 《村民委员会组织法》第十五条第四款: a proxy must be a close relative (近亲属). The eight kinds below are the
# close relatives of the civil code (《民法典》第一千零四十五条); a clerk may type the specific word (父亲, 女儿).
RELATIONS = ("spouse", "parent", "child", "sibling", "grandparent", "maternal_grandparent", "grandchild",
             "maternal_grandchild")
_ALIASES = {
    "spouse": ("配偶", "丈夫", "妻子", "夫", "妻", "爱人", "老伴"),
    "parent": ("父母", "父亲", "母亲", "父", "母", "爸爸", "妈妈"),
    "child": ("子女", "儿子", "女儿", "子", "女"),
    "sibling": ("兄弟姐妹", "兄弟", "姐妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄", "弟", "姐", "妹"),
    "grandparent": ("祖父母", "祖父", "祖母", "爷爷", "奶奶"),
    "maternal_grandparent": ("外祖父母", "外祖父", "外祖母", "外公", "外婆", "姥爷", "姥姥"),
    "grandchild": ("孙子女", "孙子", "孙女"),
    "maternal_grandchild": ("外孙子女", "外孙", "外孙女"),
}
_RELATION = {word: code for code, words in _ALIASES.items() for word in (code, *words)}
_CLOSE = "配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女"


def _close_relative(value: str) -> str:
    code = _RELATION.get(value.strip().lower().replace(" ", "_"))
    if code is None:
        raise PydanticCustomError(
            "not_close_relative",
            "a proxy must be a close relative of the voter: spouse, parent, child, sibling, grandparent, "
            "maternal grandparent, grandchild or maternal grandchild (Organic Law of the Villagers' Committees, "
            "article 15)",
            {"zh": f"受委托人必须是委托人的近亲属（{_CLOSE}）（《村民委员会组织法》第十五条）"},
        )
    return code


Relation = Annotated[str, AfterValidator(_close_relative)]


class Authorisation(Strict):
    """One written authorisation: a voter away at election time, and the close relative who votes for them."""

    voter: Name = Field(description="委托人（外出不能参加投票的选民）")
    group: OptionalText = Field("", description="委托人所在村民小组")
    proxy: Name = Field(description="受委托人（本村有选举权的近亲属）")
    relation: Relation = Field(description="受委托人是委托人的何种近亲属：配偶、父母、子女、兄弟姐妹、祖父母、"
                                           "外祖父母、孙子女、外孙子女（也可填父亲、女儿等）")
    reason: OptionalText = Field("", description="委托原因，如：外出务工")


class ProxiesAnnouncement(KindModel):
    """The published list of voters who vote by proxy and their proxies, with the cap per proxy."""

    kind_id = "announcement.proxies"
    title_zh = "委托投票公告"
    title_en = "Announcement of Proxy Votes"

    place: Place
    number: OptionalText = Field("", description="公告编号，如：柳溪选字第6号")
    term: int = Field(ge=1, le=99, description="本次选举的届次（第N届村民委员会）")
    legal_basis: Text = Field("《中华人民共和国村民委员会组织法》", description="法律依据")
    cap_per_proxy: int = Field(3, ge=1, le=3, description="每人接受委托投票的上限（各省规定为3人或2人）")
    election_day: date | None = Field(None, description="选举日")
    proxies: list[Authorisation] = Field(min_length=1, max_length=2000, description="委托人和受委托人")
    signature: Signature

    @model_validator(mode="after")
    def _check(self) -> ProxiesAnnouncement:
        """One proxy per voter, nobody both gives and takes a vote, no proxy over the cap.

        People are told apart by name, as on the posted list.
        """
        problems = Problems()
        principals: dict[str, int] = {}
        for i, a in enumerate(self.proxies):
            if a.voter in principals:
                first = self.proxies[principals[a.voter]].proxy
                problems.add(("proxies", i, "voter"), "two_proxies",
                             f"{a.voter} has already authorised {first}: a voter may authorise only one proxy",
                             f"{a.voter}已委托{first}，一名选民只能委托一人代为投票", a.voter)
            else:
                principals[a.voter] = i
        load: Counter[str] = Counter()
        for i, a in enumerate(self.proxies):
            if a.proxy == a.voter:
                problems.add(("proxies", i, "proxy"), "self_proxy", f"{a.voter} cannot be their own proxy",
                             f"{a.voter}不能委托自己", a.proxy)
                continue
            if a.proxy in principals:
                # Someone who is away and authorised another cannot cast votes for others, and a proxy may
                # not pass a vote on (不得转委托): either way the vote would reach a third person.
                problems.add(("proxies", i, "proxy"), "proxy_is_principal",
                             f"{a.proxy} has authorised someone else to vote for them, so cannot vote for {a.voter}",
                             f"{a.proxy}本人已委托他人投票，不能再接受{a.voter}的委托", a.proxy)
            load[a.proxy] += 1
            if load[a.proxy] == self.cap_per_proxy + 1:
                problems.add(("proxies", i, "proxy"), "over_cap",
                             f"{a.proxy} would vote for more than {self.cap_per_proxy} voters",
                             f"{a.proxy}接受委托超过{self.cap_per_proxy}人（每人接受委托不得超过"
                             f"{self.cap_per_proxy}人）", a.proxy)
        if self.election_day is not None and self.election_day <= self.signature.date:
            problems.add(("election_day",), "election_day_order",
                         f"election day ({en(self.election_day)}) must be after the date of the announcement "
                         f"({en(self.signature.date)})",
                         f"选举日（{zh(self.election_day)}）应在公告日期（{zh(self.signature.date)}）之后",
                         self.election_day.isoformat())
        problems.raise_if_any(type(self).__name__)
        return self

    def context(self) -> dict[str, Any]:
        """The authorisations numbered in the order given, and how many each proxy carries."""
        ctx = super().context()
        load = Counter(a["proxy"] for a in ctx["proxies"])
        for n, a in enumerate(ctx["proxies"], start=1):
            a["no"] = n
            a["load"] = load[a["proxy"]]
        ctx["total"] = len(ctx["proxies"])
        ctx["proxy_count"] = len(load)
        return ctx
