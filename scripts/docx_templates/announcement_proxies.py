"""Word template of announcement.proxies."""

from docx_kit import new_document, page_number_footer, para, table

from docx_templates._announcement_parts import closing, lead, narrow_margins, number_and_title

KIND = "announcement.proxies"
RELATIONS = ("{% set relations = {'spouse': _('配偶'), 'parent': _('父母'), 'child': _('子女'), "
             "'sibling': _('兄弟姐妹'), 'grandparent': _('祖父母'), 'maternal_grandparent': _('外祖父母'), "
             "'grandchild': _('孙子女'), 'maternal_grandchild': _('外孙子女')} %}")
INTRO = ("{{ _('根据%(basis)s的规定，选举期间外出不能参加投票的选民，可以书面委托本村有选举权的近亲属代为投票。"
         "经村民选举委员会审核，%(village)s第%(term)s届村民委员会选举共有%(n)s名选民委托%(m)s人代为投票，"
         "现将委托人和受委托人名单公告如下：', basis=legal_basis, village=place.village, term=term, n=total, "
         "m=proxy_count) }}")
RULES = ("{{ _('每一受委托人接受委托投票不得超过%(cap)s人，受委托人不得再委托他人。"
         "受委托人凭书面委托书领取选票，按照委托人的意愿代为投票。', cap=cap_per_proxy) }}"
         "{% if election_day %}{{ _('选举日为%(date)s。', date=election_day|cn_date) }}{% endif %}")


def build():
    """Number, title, intro, the table of authorisations, the proxy rules, objections, signature."""
    doc = new_document(table_pt=12)
    page_number_footer(doc)
    number_and_title(doc)
    lead(doc, RELATIONS + INTRO)
    narrow_margins(table(doc, ["序号", "委托人", "村民小组", "受委托人", "与委托人关系", "委托原因"],
                         [13, 22, 28, 22, 30, 41],
                         ["{{ a.no }}", "{{ a.voter }}", "{{ a.group }}", "{{ a.proxy }}",
                          "{{ relations[a.relation] }}", "{{ a.reason }}"], "for a in proxies"))
    para(doc, RULES, "Body Text")
    para(doc, "{{ _('对上述名单有异议的，请在选举日以前向村民选举委员会反映。') }}", "Body Text")
    closing(doc)
    return doc
