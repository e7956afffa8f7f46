"""Party documents (Hướng dẫn 36-HD/VPTW) rendered to PDF by WeasyPrint: the plan, and the reports.

Every document shares one layout: templates/plans/party_document.html with its style in
static/css/party_document.css (the issuer and the Party at the top, the signature and the
recipients at the end). A party document is always in Vietnamese, whatever language the
reader's screen uses, so its fixed wording lives in the templates, not in the catalog.
WeasyPrint needs Pango from the system: when it is missing the view says what to install
instead of failing.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessments.rules import level_label
from cells.models import Organization
from plans.models import Committee, Plan, Target
from plans.people import person_name

COMMITTEE_VI = {
    Committee.ORGANIZATION: "Ban Tổ chức",
    Committee.PROPAGANDA: "Ban Tuyên giáo và Dân vận",
    Committee.INSPECTION: "Ủy ban Kiểm tra",
    Committee.OFFICE: "Văn phòng",
}
# "Đảng bộ huyện Văn Lãng" is signed by "Huyện ủy Văn Lãng".
COMMITTEE_OF_BODY = [
    ("Đảng bộ huyện ", "Huyện ủy "),
    ("Đảng bộ tỉnh ", "Tỉnh ủy "),
    ("Đảng bộ thị xã ", "Thị ủy "),
    ("Đảng bộ thành phố ", "Thành ủy "),
    ("Đảng bộ xã ", "Đảng ủy xã "),
    ("Đảng bộ phường ", "Đảng ủy phường "),
    ("Đảng bộ ", "Đảng ủy "),
]


# "Huyện ủy" signs "…/HU": the symbol after a document number.
ISSUER_SYMBOLS = [("Huyện ủy ", "HU"), ("Tỉnh ủy ", "TU"), ("Thị ủy ", "TU"), ("Thành ủy ", "TU"), ("Đảng ủy ", "ĐU")]
PLACE_PREFIXES = ("Đảng bộ huyện ", "Đảng bộ thị xã ", "Đảng bộ thành phố ", "Đảng bộ tỉnh ", "Đảng bộ xã ", "Đảng bộ ")
STYLESHEET = "css/party_document.css"


class PdfUnavailable(Exception):
    pass


def place_name(body_name: str) -> str:
    """ "Văn Lãng" for "Đảng bộ huyện Văn Lãng": the place printed before the date."""
    for prefix in PLACE_PREFIXES:
        if body_name.startswith(prefix):
            return body_name[len(prefix) :]
    return body_name


def issuer_symbol(issuer: str) -> str:
    return next((symbol for prefix, symbol in ISSUER_SYMBOLS if issuer.startswith(prefix)), "ĐU")


def committee_name(body_name: str) -> str:
    for prefix, committee in COMMITTEE_OF_BODY:
        if body_name.startswith(prefix):
            return committee + body_name[len(prefix) :]
    return body_name


def date_line(place: str, date) -> str:
    """ "Văn Lãng, ngày 20 tháng 02 năm 2018": days below 10 and months below 3 take a leading zero."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"


def target_sentence(target: Target) -> str:
    if target.kind == Target.Kind.REGULAR_MEETINGS:
        return f"100% chi bộ sinh hoạt định kỳ ít nhất {target.number} lần trong năm."
    if target.kind == Target.Kind.THEMED_MEETINGS:
        return f"100% chi bộ sinh hoạt chuyên đề ít nhất {target.number} lần trong năm."
    if target.kind == Target.Kind.ADMISSIONS:
        return f"Kết nạp ít nhất {target.number} đảng viên mới."
    if target.kind == Target.Kind.LEVEL:
        return f"Cuối năm, tổ chức cơ sở đảng được xếp loại “{level_label(target.level, target.plan.year)}” trở lên."
    return target.text


def triggering_label(plan: Plan) -> str:
    """The level that triggered the plan, as its result was written (else in its year's words)."""
    candidate = plan.candidate
    if candidate.classification_id and candidate.classification.level == candidate.level:
        return candidate.classification.label or level_label(candidate.level, candidate.classification.year)
    return level_label(candidate.level, plan.year - 1)


def _assignee_vi(task) -> str:
    if task.assignee_id:
        return person_name(task.assignee)
    return COMMITTEE_VI[task.committee]


def plan_document_context(plan: Plan) -> dict:
    upper = plan.organization.parent
    above = upper.parent if upper else None
    issuer = committee_name(upper.name) if upper else plan.organization.name
    candidate = plan.candidate
    date = plan.issued_on or timezone.localdate()
    tasks = [
        {"title": task.title, "description": task.description, "who": _assignee_vi(task), "due": task.due}
        for task in plan.tasks.select_related("assignee").exclude(state="cancelled")
    ]
    return {
        "plan": plan,
        "above": (above.name if above else "").upper(),
        "issuer": issuer.upper(),
        "issuer_title": issuer,
        "number": plan.number,
        "doctype": "KẾ HOẠCH",
        "summary_line": f"củng cố, kiện toàn {plan.organization.name} năm {plan.year}",
        "date_line": date_line(plan.place or plan.organization.name, date),
        "unit": plan.organization.name,
        "level_before": triggering_label(plan),
        "previous_year": plan.year - 1,
        "decision_number": candidate.decision_number,
        "decision_date": candidate.decision_date.strftime("%d/%m/%Y") if candidate.decision_date else "",
        "weaknesses": [line for line in plan.weaknesses.splitlines() if line.strip()],
        "causes": [line for line in plan.causes.splitlines() if line.strip()],
        "targets": [target_sentence(t) for t in plan.targets.all()],
        "tasks": tasks,
        "lead": person_name(plan.lead) if plan.lead_id else "",
        "signer_name": person_name(plan.lead) if plan.lead_id else "",
        "signer_title": (plan.signer_title or "Phó Bí thư").upper(),
        "recipients": [line.strip(" -") for line in plan.recipients.splitlines() if line.strip(" -")],
    }


def report_document_context(scope: Organization, *, summary_line: str) -> dict:
    """The header and the end of a report (báo cáo) of the standing committee of `scope`, numbered
    by hand: the number is left blank before its symbol ("Số      -BC/HU")."""
    above = scope.parent
    issuer = committee_name(scope.name)
    return {
        "above": (above.name if above else "").upper(),
        "issuer": issuer.upper(),
        "issuer_title": issuer,
        "number": f"\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/{issuer_symbol(issuer)}",
        "doctype": "BÁO CÁO",
        "summary_line": summary_line,
        "date_line": date_line(place_name(scope.name), timezone.localdate()),
        "signer_title": "",
        "signer_name": "",
        "recipients": [*([f"Ban Thường vụ {committee_name(above.name)} (b/c)"] if above else []), "Lưu Văn phòng"],
    }


def document_pdf(template: str, context: dict) -> bytes:
    """Render a party document to PDF, in Vietnamese whatever the reader's language."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    with translation.override("vi"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(STYLESHEET))])


def plan_pdf(plan: Plan) -> bytes:
    return document_pdf("plans/plan_pdf.html", plan_document_context(plan))
