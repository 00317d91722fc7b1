"""The 47 branches (支部) of 協会けんぽ and the national level (本部)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from reportgen.errors import UsageError


@dataclass(frozen=True)
class Branch:
    slug: str  # shizuoka
    prefecture: str  # 静岡
    code: int  # JIS prefecture code; 0 for the national level

    @property
    def name(self) -> str:
        """静岡支部; 本部 for the national level."""
        return "本部" if self.is_national else f"{self.prefecture}支部"

    @property
    def is_national(self) -> bool:
        return self.code == 0

    @property
    def council(self) -> str:
        """The council that receives the handouts: 静岡支部評議会; 運営委員会 nationally."""
        return "運営委員会" if self.is_national else f"{self.name}評議会"


_PREFECTURES = (
    "hokkaido 北海道", "aomori 青森", "iwate 岩手", "miyagi 宮城", "akita 秋田",
    "yamagata 山形", "fukushima 福島", "ibaraki 茨城", "tochigi 栃木", "gunma 群馬",
    "saitama 埼玉", "chiba 千葉", "tokyo 東京", "kanagawa 神奈川", "niigata 新潟",
    "toyama 富山", "ishikawa 石川", "fukui 福井", "yamanashi 山梨", "nagano 長野",
    "gifu 岐阜", "shizuoka 静岡", "aichi 愛知", "mie 三重", "shiga 滋賀",
    "kyoto 京都", "osaka 大阪", "hyogo 兵庫", "nara 奈良", "wakayama 和歌山",
    "tottori 鳥取", "shimane 島根", "okayama 岡山", "hiroshima 広島", "yamaguchi 山口",
    "tokushima 徳島", "kagawa 香川", "ehime 愛媛", "kochi 高知", "fukuoka 福岡",
    "saga 佐賀", "nagasaki 長崎", "kumamoto 熊本", "oita 大分", "miyazaki 宮崎",
    "kagoshima 鹿児島", "okinawa 沖縄",
)

NATIONAL = Branch("national", "協会全体", 0)
BRANCHES: tuple[Branch, ...] = tuple(
    Branch(slug, pref, code)
    for code, (slug, pref) in enumerate((p.split() for p in _PREFECTURES), start=1)
)
_LOOKUP: dict[str, Branch] = {}
for _b in (*BRANCHES, NATIONAL):
    _LOOKUP.update({_b.slug: _b, _b.prefecture: _b, _b.name: _b})
_LOOKUP["協会全体"] = NATIONAL


def get_branch(key: str) -> Branch:
    """A branch by slug (shizuoka), prefecture (静岡) or name (静岡支部)."""
    found = _LOOKUP.get(key.strip().lower()) or _LOOKUP.get(key.strip())
    if found is not None:
        return found
    near = difflib.get_close_matches(key.lower(), [b.slug for b in BRANCHES], n=3, cutoff=0.6)
    hint = "、".join(f"{s}（{_LOOKUP[s].name}）" for s in near) if near else "reportgen branches で一覧"
    raise UsageError(
        f"支部「{key}」はありません。候補: {hint}",
        "branch must be a slug such as shizuoka, a prefecture or a branch name",
    )
