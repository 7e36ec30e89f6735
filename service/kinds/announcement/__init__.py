"""Announcements (公告): village layout — number line, title, body, signature, seal box, date."""
