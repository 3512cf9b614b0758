"""The registry's vocabularies.

Stored values are English codes (identifiers in code are English); ``FILE_TERMS`` maps the
Chinese terms of the household file (``spec/household-file.md``) to them and back.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdType(models.TextChoices):
    TUOPIN = "tuopin", _("Tuopin household")
    ORDINARY = "ordinary", _("Ordinary rural household")
    POOR = "poor", _("Poor household (not yet lifted out)")


class Attribute(models.TextChoices):
    GENERAL = "general", _("General poor household")
    DIBAO = "dibao", _("Minimum-allowance poor household")
    TEKUN = "tekun", _("Extreme-hardship supported household")


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    SCHOOLING = "schooling", _("Schooling costs")
    DISASTER = "disaster", _("Disaster")
    LAND = "land", _("Lack of land")
    WATER = "water", _("Lack of water")
    SKILLS = "skills", _("Lack of skills")
    LABOUR = "labour", _("Lack of labour")
    CAPITAL = "capital", _("Lack of capital")
    TRANSPORT = "transport", _("Poor transport")
    DRIVE = "drive", _("Lack of own drive")
    OTHER = "other", _("Other")


class RegistryStatus(models.TextChoices):
    POOR = "poor", _("Not yet lifted out")
    EXITED_WITH_POLICY = "exited_with_policy", _("Lifted out, receiving policy support")
    EXITED_WITHOUT_POLICY = "exited_without_policy", _("Lifted out, no longer supported")
    RETURNED = "returned", _("Returned to poverty")
    NEWLY_IDENTIFIED = "newly_identified", _("Newly identified")
    ORDINARY = "ordinary", _("Ordinary household")


# Whose people count as poor for incidence: 未脱贫, 新识别, and 返贫 until they exit again.
POOR_STATUSES = frozenset(
    {RegistryStatus.POOR, RegistryStatus.RETURNED, RegistryStatus.NEWLY_IDENTIFIED}
)


class MonitorType(models.TextChoices):
    UNSTABLE_TUOPIN = "unstable_tuopin", _("Unstable tuopin household")
    MARGINAL = "marginal", _("Marginal household at risk")
    SUDDEN_HARDSHIP = "sudden_hardship", _("Household in sudden severe hardship")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    DISABILITY_CERT = "disability_cert", _("Disability certificate")
    OTHER = "other", _("Other document")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    DAUGHTER_IN_LAW = "daughter_in_law", _("Daughter-in-law")
    SON_IN_LAW = "son_in_law", _("Son-in-law")
    GRANDSON = "grandson", _("Grandson")
    GRANDDAUGHTER = "granddaughter", _("Granddaughter")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relation")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    ILLITERATE = "illiterate", _("Illiterate or semi-literate")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Secondary vocational")
    COLLEGE = "college", _("College or above")
    PRESCHOOL_AGE = "preschool_age", _("Below school age")


class Schooling(models.TextChoices):
    NOT_IN_SCHOOL = "not_in_school", _("Not in school")
    PRESCHOOL = "preschool", _("Pre-school")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational school")
    HIGHER_VOCATIONAL = "higher_vocational", _("Higher vocational college")
    UNIVERSITY = "university", _("University")
    HOME_TAUGHT = "home_taught", _("Taught at home")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Long-term chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", _("Disabled")


class Labour(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary labour")
    SKILLED = "skilled", _("Skilled labour")
    LOST = "lost", _("Lost labour capacity")
    NONE = "none", _("No labour capacity")


LABOUR_CAPABLE = frozenset({Labour.ORDINARY, Labour.SKILLED})


class HousingGrade(models.TextChoices):
    A = "A", _("A — safe")
    B = "B", _("B — basically safe")
    C = "C", _("C — partly dangerous")
    D = "D", _("D — dangerous as a whole")


class MembershipReason(models.TextChoices):
    REGISTERED = "registered", _("Recorded at registration")
    BIRTH = "birth", _("Birth")
    DEATH = "death", _("Death")
    MARRIAGE_IN = "marriage_in", _("Marriage into the household")
    MARRIAGE_OUT = "marriage_out", _("Marriage out of the household")
    SPLIT = "split", _("Household split")
    MOVED = "moved", _("Moved")
    OTHER = "other", _("Other")


# The household file's Chinese terms for each vocabulary (spec/household-file.md).
FILE_TERMS: dict[type[models.TextChoices], dict[str, str]] = {
    HouseholdType: {"脱贫户": "tuopin", "一般农户": "ordinary", "未脱贫户": "poor"},
    Attribute: {"一般贫困户": "general", "低保贫困户": "dibao", "特困供养贫困户": "tekun"},
    PovertyCause: {
        "因病": "illness",
        "因残": "disability",
        "因学": "schooling",
        "因灾": "disaster",
        "缺土地": "land",
        "缺水": "water",
        "缺技术": "skills",
        "缺劳力": "labour",
        "缺资金": "capital",
        "交通条件落后": "transport",
        "自身发展动力不足": "drive",
        "其他": "other",
    },
    MonitorType: {
        "脱贫不稳定户": "unstable_tuopin",
        "边缘易致贫户": "marginal",
        "突发严重困难户": "sudden_hardship",
    },
    IdType: {"居民身份证": "resident_id", "残疾人证": "disability_cert", "其他": "other"},
    Relation: {
        "户主": "head",
        "配偶": "spouse",
        "子": "son",
        "女": "daughter",
        "儿媳": "daughter_in_law",
        "女婿": "son_in_law",
        "孙子": "grandson",
        "孙女": "granddaughter",
        "父亲": "father",
        "母亲": "mother",
        "兄弟姐妹": "sibling",
        "其他": "other",
    },
    Sex: {"男": "male", "女": "female"},
    Education: {
        "文盲或半文盲": "illiterate",
        "小学": "primary",
        "初中": "junior",
        "高中": "senior",
        "中专": "vocational",
        "大专及以上": "college",
        "学龄前": "preschool_age",
    },
    Schooling: {
        "非在校生": "not_in_school",
        "学前教育": "preschool",
        "小学": "primary",
        "初中": "junior",
        "高中": "senior",
        "中职": "secondary_vocational",
        "高职": "higher_vocational",
        "大学": "university",
        "送教上门": "home_taught",
        "失学辍学": "dropped_out",
    },
    Health: {"健康": "healthy", "长期慢性病": "chronic", "患有大病": "serious", "残疾": "disabled"},
    Labour: {
        "普通劳动力": "ordinary",
        "技能劳动力": "skilled",
        "丧失劳动力": "lost",
        "无劳动力": "none",
    },
    HousingGrade: {"A": "A", "B": "B", "C": "C", "D": "D"},
}


def file_term(choice: type[models.TextChoices], value: str) -> str:
    """The household file's Chinese term for a stored value."""
    for term, code in FILE_TERMS[choice].items():
        if code == value:
            return term
    raise KeyError(value)
