"""Word template of table.ballot-prints."""

from docx_kit import new_document, page_number_footer, para, table

KIND = "table.ballot-prints"


def build():
    """Landscape register of print runs."""
    doc = new_document(landscape=True)
    page_number_footer(doc, "table")
    para(doc, "{{ doc_title }}", "Doc Title")
    para(doc, "{% set status = {'reserved': _('已预留'), 'printed': _('已印制'), 'failed': _('失败（号段作废）')} %}"
              "{{ _('选举编号：') }}{{ election_id or _('全部') }}　{{ _('已印选票合计：%(n)s张', n=printed_total) }}",
         "Small Note")
    table(doc, ["序号", "选举编号", "选票种类", "数量", "流水号", "状态", "文件SHA-256", "申请人", "时间"],
          [12, 40, 40, 16, 36, 24, 36, 30, 33],
          ["{{ loop.index }}", "{{ p.election_id }}", "{{ p.kind_title if lang == 'zh' else p.kind_title_en }}",
           "{{ p.quantity }}", "{{ p.serials }}", "{{ status[p.status] }}", "{{ p.short_hash }}",
           "{{ p.requested_by }}", "{{ p.created_at | cn_datetime }}"], "for p in prints")
    return doc
