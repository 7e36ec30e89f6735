"""Invented people and places for samples, tests and benchmarks (no real person's data)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from .domain import idcard

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND = ["欧阳", "司马", "上官", "诸葛"]
GIVEN = (
    "建国明华秀英丽芳军伟强磊洋勇艳杰娟涛超霞平刚桂兰文辉玉梅德荣春燕志红海波金凤永新立华晓东国庆淑珍小红爱民振兴家豪宇轩子涵"
    "雨欣浩然梓萱"
)
RARE = ["堃", "喆", "玥", "珺", "赟", "镕", "犇", "淼", "燚", "垚"]


def name(rng: random.Random) -> str:
    """A plausible invented Chinese name (now and then with a compound surname or a rare character)."""
    surname = rng.choice(COMPOUND) if rng.random() < 0.02 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    if rng.random() < 0.01:
        given = given[:-1] + rng.choice(RARE)
    return surname + given


def id_number(rng: random.Random, region: str, born: date, female: bool) -> str:
    """A well-formed invented ID number (check digit right) for a birth date and sex."""
    seq = rng.randrange(0, 100) * 10 + rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
    return idcard.make(f"{region}{born:%Y%m%d}{seq:03d}")


def voters(
    n: int, seed: int = 7, region: str = "330122", groups: int = 6, on: date = date(2026, 11, 21)
) -> list[dict[str, Any]]:
    """``n`` invented voters of a village, spread over residents' groups, aged 18 to 90 on ``on``."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        female = rng.random() < 0.49
        born = on - timedelta(days=rng.randrange(18 * 366, 90 * 365))
        category = rng.choices(["resident", "registered_away", "non_registered"], (90, 8, 2))[0]
        out.append(
            {
                "name": name(rng),
                "id_number": id_number(rng, region, born, female),
                "group": f"第{'一二三四五六七八九十'[i * groups // n]}村民小组",
                "category": category,
                "note": "外出务工" if category == "registered_away" else "",
            }
        )
    return out
