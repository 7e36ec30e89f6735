"""The web pages' wording: written in Chinese, with English for the few who ask for it."""

from __future__ import annotations

EN: dict[str, str] = {
    "选举文书": "Election documents",
    "返回首页": "Back to the start page",
    "登录": "Log in",
    "退出": "Log out",
    "用户名": "Username",
    "密码": "Password",
    "用户名或密码不正确": "Wrong username or password",
    "文书种类": "Document kinds",
    "搜索": "Search",
    "按名称搜索": "Search by name",
    "没有找到": "Nothing found",
    "账户管理": "Accounts",
    "下载 Excel 模板": "Download the Excel template",
    "模板含中文表头、一行示例和“其他信息”工作表。": (
        "The template has Chinese headers, one example row and a sheet for the other fields."
    ),
    "上传文件": "Upload a file",
    "文件（XLSX、CSV 或 JSON）": "File (XLSX, CSV or JSON)",
    "或在下面填写": "Or fill in below",
    "表格中已有的项目可以不填；这里填写的内容优先。": (
        "Fields in the file may be left empty here; what you fill in here wins."
    ),
    "列表（JSON）": "Lists (JSON)",
    "检查并预览": "Check and preview",
    "发现以下问题，请修改后重新上传": "Please fix these problems and upload again",
    "行": "Row",
    "列": "Column",
    "问题": "Problem",
    "预览": "Preview",
    "第{n}页": "Page {n}",
    "下载 PDF": "Download PDF",
    "下载 Word": "Download Word",
    "全部村的 ZIP": "ZIP of all villages",
    "共{n}个村，每村一份文书。": "{n} villages, one document each.",
    "重新上传": "Upload again",
    "返回": "Back",
    "角色": "Role",
    "管理员": "Admin",
    "办事员": "Clerk",
    "新建账户": "New account",
    "删除": "Delete",
    "创建": "Create",
    "已创建账户": "Account created",
    "不能删除自己": "You cannot delete yourself",
    "必填": "required",
    "是": "yes",
    "否": "no",
    "公告": "Announcements",
    "花名册": "Rosters",
    "选票": "Ballots",
    "统计表": "Tables",
    "报告": "Reports",
    "请选择文件或填写内容": "Choose a file or fill in the form",
    "这份上传已过期，请重新上传": "This upload has expired; please upload again",
    "校验通过": "All checks passed",
    "语言": "Language",
    "API 密钥": "API keys",
    "其他系统调用接口时在请求头中发送密钥：Authorization: Bearer 密钥。": (
        "Other systems send their key with every API call: Authorization: Bearer <key>."
    ),
    "新密钥如下，只显示这一次，请立即复制保存：": "The new key, shown only this once; copy and keep it now:",
    "名称": "Name",
    "权限": "Scopes",
    "区域": "Region",
    "开头": "Starts with",
    "状态": "Status",
    "已吊销": "Revoked",
    "吊销": "Revoke",
    "已吊销密钥": "Key revoked:",
    "还没有密钥": "No keys yet",
    "新建密钥": "New key",
    "生成文书、计票结果和选票印制": "produce documents, results and ballot prints",
    "批量生成任务": "run batch jobs",
    "全部权限（含模板与审计日志）": "everything, including templates and the audit log",
    "区域代码（可不填）": "Region code (optional)",
    "6位县级或9位乡镇级代码；填写后此密钥只能看到本区域的批次、文件和模板。": (
        "A 6-digit county or 9-digit township code; the key then sees only its region's batches, files and templates."
    ),
    "审计日志": "Audit log",
    "操作者": "By",
    "筛选": "Filter",
    "时间（UTC）": "Time (UTC)",
    "格式": "Format",
    "详情": "Details",
    "编号": "Serials",
    "没有记录": "Nothing recorded",
    "更早的记录": "Older entries",
}


def translate(text: str, lang: str) -> str:
    """The text in a language (Chinese is the source)."""
    return EN.get(text, text) if lang == "en" else text
