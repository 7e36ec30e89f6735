"""Word template of announcement.election-day."""

from docx_kit import new_document, page_number_footer, para, table

from docx_templates._announcement_parts import closing, heading, lead, narrow_margins, number_and_title

KIND = "announcement.election-day"
WEEKDAYS = ("{% set weekdays = [_('星期一'), _('星期二'), _('星期三'), _('星期四'), _('星期五'), "
            "_('星期六'), _('星期日')] %}")


def build():
    """Number, title, the numbered sections with the station and mobile-box tables, signature."""
    doc = new_document(table_pt=12)
    page_number_footer(doc)
    number_and_title(doc)
    para(doc, "{% set n = namespace(h=0) %}" + WEEKDAYS
         + "{{ _('根据%(basis)s的规定，经村民选举委员会研究决定，"
           "现将%(village)s第%(term)s届村民委员会换届选举的有关事项公告如下：', "
           "basis=legal_basis, village=place.village, term=term) }}", "Body Text")
    heading(doc, "选民登记")
    para(doc, "{{ _('选民登记时间为%(start)s至%(end)s。', "
              "start=registration_start|cn_date, end=registration_end|cn_date) }}"
              "{% if registration_place %}"
              "{{ _('登记地点：%(where)s。', where=registration_place) }}{% endif %}", "Body Text")
    para(doc, "{{ _('年满十八周岁、未被依法剥夺政治权利的下列人员，列入参加选举的村民名单："
              "户籍在本村并且在本村居住的村民；户籍在本村，不在本村居住，本人表示参加选举的村民；"
              "户籍不在本村，在本村居住一年以上，本人申请参加选举，"
              "并且经村民会议或者村民代表会议同意参加选举的公民。') }}", "Body Text")
    heading(doc, "选民名单公布")
    para(doc, "{{ _('登记参加选举的村民名单于%(date)s在%(where)s公布。"
              "对名单有异议的，可以自名单公布之日起五日内向村民选举委员会申诉，"
              "村民选举委员会应当自收到申诉之日起三日内作出处理决定，并公布处理结果。', "
              "date=list_published_on|cn_date, where=list_posted_at) }}", "Body Text")
    heading(doc, "选举日")
    para(doc, "{{ _('选举日定于%(date)s（%(weekday)s），投票时间为%(hours)s。', date=election_day|cn_date, "
              "weekday=weekdays[weekday], hours=polls_open|cn_time_range(polls_close)) }}", "Body Text")
    heading(doc, "投票地点")
    lead(doc, "{{ _('本次选举设以下%(n)s处投票地点，选民凭选民证到指定地点领取选票、投票：', "
              "n=stations|length) }}")
    narrow_margins(table(doc, ["名称", "地点", "投票时间", "服务范围"], [31, 50, 30, 45],
                         ["{{ s.name }}", "{{ s.location }}", "{{ s.opens | cn_time_range(s.closes) }}",
                          "{{ s.serves }}"], "for s in stations"))
    para(doc, "{%p if mobile_boxes %}", "Body Text")
    heading(doc, "流动票箱")
    lead(doc, "{{ _('设流动票箱%(n)s个，每个流动票箱由三名以上监票人员负责，"
              "到不能前往投票地点的选民所在地接受投票：', n=mobile_boxes|length) }}")
    narrow_margins(table(doc, ["名称", "流动范围", "服务对象", "投票时间"], [31, 50, 45, 30],
                         ["{{ b.name }}", "{{ b.area }}", "{{ b.serves }}",
                          "{{ b.opens | cn_time_range(b.closes) }}"], "for b in mobile_boxes"))
    para(doc, "{%p endif %}", "Body Text")
    heading(doc, "职位和名额")
    para(doc, "{% if seats.deputy_director %}"
              "{{ _('本届村民委员会由%(n)s名成员组成，其中主任1名，副主任%(d)s名，委员%(m)s名。', "
              "n=seat_total, d=seats.deputy_director, m=seats.member) }}{% else %}"
              "{{ _('本届村民委员会由%(n)s名成员组成，其中主任1名，委员%(m)s名。', "
              "n=seat_total, m=seats.member) }}{% endif %}"
              "{{ _('村民委员会成员中应当有妇女成员，多民族村民居住的村应当有人数较少的民族的成员。') }}",
         "Body Text")
    heading(doc, "选举方式")
    para(doc, "{{ _('由登记参加选举的村民直接提名候选人，候选人名额多于应选名额，"
              "实行差额选举、无记名投票、公开计票，选举结果当场公布。') }}"
              "{% if ballot == 'combined' %}{{ _('主任、副主任、委员使用同一张选票，一次投票选出。') }}"
              "{% else %}{{ _('主任、副主任、委员分别投票选举。') }}{% endif %}"
              "{{ _('选举期间外出不能参加投票的选民，可以书面委托本村有选举权的近亲属代为投票。') }}",
         "Body Text")
    para(doc, "{%p if notes %}", "Body Text")
    heading(doc, "其他事项")
    para(doc, "{%p for note in notes %}", "Body Text")
    para(doc, "{{ note }}", "Body Text")
    para(doc, "{%p endfor %}", "Body Text")
    para(doc, "{%p endif %}", "Body Text")
    para(doc, "{%p if contact %}", "Body Text")
    para(doc, "{{ _('咨询：%(contact)s。', contact=contact) }}", "Body Text")
    para(doc, "{%p endif %}", "Body Text")
    closing(doc)
    return doc
