"""How a message addresses a customer [issue 13]: as people expect in each language.

A salutation staff typed wins (王姐, 张总, Doña Carmen). Else, where the language does so, the
surname and gender: 王女士, 李先生; Sra. García, Sr. López; Ms Johnson. Else the name as typed.
A company is addressed by its name, and the templates leave out "you and your family".
Spanish shops choose usted or tú (`messages.address`): with tú, and in English when familiar,
a person is called by the first name (María, Mary), as on WhatsApp.
"""

from __future__ import annotations

import re

from sheetcrm.records import Customer
from sheetcrm.vocabulary import Gender

# Two-character surnames: 欧阳修 is Mr 欧阳, not Mr 欧.
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "申屠",
    "歐陽", "司馬", "諸葛", "東方", "尉遲", "長孫", "軒轅", "獨孤", "南宮", "西門",
))  # fmt: skip
TITLES = {
    "zh-Hans": {Gender.MALE: "{surname}先生", Gender.FEMALE: "{surname}女士"},
    "zh-Hant": {Gender.MALE: "{surname}先生", Gender.FEMALE: "{surname}女士"},
    "es": {Gender.MALE: "Sr. {surname}", Gender.FEMALE: "Sra. {surname}"},
    "en": {Gender.MALE: "Mr {surname}", Gender.FEMALE: "Ms {surname}"},
}
# A salutation cell holding only a title: it goes before the surname ("Sra." → "Sra. García").
_BARE_TITLES = frozenset(t.casefold() for t in (
    "Sr.", "Sr", "Sra.", "Sra", "Srta.", "Srta", "D.", "Dña.", "Don", "Doña", "Dr.", "Dra.", "Dr",
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Mx.",
))  # fmt: skip
# Names of businesses, as registers type them: 有限公司, S.L., S.A. de C.V., Ltd, Inc.
_COMPANY_CJK = re.compile(
    r"(公司|集团|集團|企业|企業|工厂|工廠|厂|廠|商行|商店|店|中心|事务所|事務所|工作室|协会|協會"
    r"|学校|學校|医院|醫院|酒店|餐厅|餐廳|银行|銀行|合作社|研究所|门市|門市)$"
)
_COMPANY_LATIN = re.compile(
    r"(?:\b(?:S\.?\s?L\.?U?|S\.?\s?A\.?|S\.?\s?C\.?|S\.?\s?Coop\.?|S\.?\s?A\.?\s?de\s?C\.?\s?V\.?"
    r"|S\.?\s?de\s?R\.?\s?L\.?(?:\s?de\s?C\.?\s?V\.?)?|Ltd\.?|Limited|Inc\.?|LLC|L\.L\.C\.|Corp\.?"
    r"|Corporation|Co\.|Company|plc|PLC|GmbH|LLP|LP)\s*)$",
    re.IGNORECASE,
)
_SPANISH_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})


def is_company(name: str) -> bool:
    """Whether a customer's name is a business's: 深圳市华强电子有限公司, Construcciones Pérez
    S.L., Acme Ltd."""
    name = name.strip()
    return bool(_COMPANY_CJK.search(name) or _COMPANY_LATIN.search(name))


def salutation(customer: Customer, language: str, *, familiar: bool = False) -> str:
    """What a message calls the customer, e.g. 王女士, Sra. García, María; "" = the name."""
    typed = (customer.salutation or "").strip()
    name = customer.name.strip()
    if is_company(name):
        return typed
    if typed and typed.casefold() not in _BARE_TITLES:
        return typed
    if familiar and language in ("es", "en"):
        return _given_name(customer) or typed
    family = _surname(customer, language)
    if typed and family:
        return f"{typed} {family}"
    titles = TITLES.get(language, {})
    if family and customer.gender in titles:
        return titles[customer.gender].format(surname=family)
    return ""


def _surname(customer: Customer, language: str) -> str | None:
    """The surname a title goes with: 王 of 王秀英, García of María García López."""
    if customer.family_name:
        return _first_surname(customer.family_name.split(), language)
    name = customer.name.strip()
    if language.startswith("zh"):
        if not _is_cjk(name) or not 2 <= len(name) <= 4:
            return None  # a Latin name in a Chinese register, or a nickname: no guess
        return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    units = _name_units(name.split(), language)
    if len(units) < 2:
        return None
    if language == "es":
        # Spanish names end in two surnames: María García López, José Luis Martínez Pérez.
        given = 1 if len(units) <= 3 else len(units) - 2
        return units[given]
    return units[-1]


def _name_units(words: list[str], language: str) -> list[str]:
    """Words, with Spanish particles joined to the name they precede: Juan | de la Cruz."""
    if language != "es":
        return words
    units: list[str] = []
    pending: list[str] = []
    for word in words:
        pending.append(word)
        if word.casefold() not in _SPANISH_PARTICLES:
            units.append(" ".join(pending))
            pending = []
    if pending:
        units.append(" ".join(pending))
    return units


def _first_surname(words: list[str], language: str) -> str | None:
    """García of García López; de la Cruz of de la Cruz Pérez."""
    units = _name_units(words, language)
    if not units:
        return None
    return units[0] if language == "es" else " ".join(units)


def _given_name(customer: Customer) -> str | None:
    if customer.given_name:
        return customer.given_name.split()[0]
    words = customer.name.split()
    return words[0] if len(words) >= 2 else None


def _is_cjk(text: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" or ch == "·" for ch in text)
