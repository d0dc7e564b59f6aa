"""UI strings of the administrators' pages (accounts, audit log), merged into i18n.STRINGS."""

from __future__ import annotations

ADMIN_STRINGS: dict[str, dict[str, str]] = {
    "nav.admin_users": {"vi": "Tài khoản", "en": "Accounts"},
    "nav.admin_audit": {"vi": "Nhật ký", "en": "Audit log"},
    "admin.denied": {
        "vi": "Bạn không có quyền truy cập trang này.",
        "en": "You do not have permission to view this page.",
    },
    "admin.yes": {"vi": "Có", "en": "Yes"},
    "admin.no": {"vi": "Không", "en": "No"},
    "admin.locked": {"vi": "Đang tạm khóa", "en": "Locked"},
    "admin.empty": {"vi": "Không có bản ghi nào", "en": "No entries"},
    # User management.
    "admin.users.title": {"vi": "Quản lý tài khoản", "en": "User management"},
    "admin.users.list": {"vi": "Danh sách tài khoản", "en": "Accounts"},
    "admin.col.username": {"vi": "Tên đăng nhập", "en": "Username"},
    "admin.col.name": {"vi": "Họ và tên", "en": "Name"},
    "admin.col.active": {"vi": "Hoạt động", "en": "Active"},
    "admin.col.roles": {"vi": "Vai trò và phạm vi", "en": "Roles and scope"},
    "admin.col.locked": {"vi": "Khóa đăng nhập", "en": "Locked"},
    "admin.create.title": {"vi": "Tạo tài khoản mới", "en": "New account"},
    "admin.create.username": {"vi": "Tên đăng nhập", "en": "Username"},
    "admin.create.name": {"vi": "Họ và tên", "en": "Display name"},
    "admin.create.password": {"vi": "Mật khẩu tạm thời", "en": "Temporary password"},
    "admin.create.role": {"vi": "Vai trò", "en": "Role"},
    "admin.create.scope": {
        "vi": "Mã phạm vi (tỉnh, huyện hoặc cơ sở tiêm)",
        "en": "Scope code (province, district or facility)",
    },
    "admin.create.submit": {"vi": "Tạo tài khoản", "en": "Create account"},
    "admin.create.done": {
        "vi": "Đã tạo tài khoản {username}. Người dùng phải đổi mật khẩu khi đăng nhập lần đầu.",
        "en": "Account {username} created. The user must change the password at first sign-in.",
    },
    "admin.manage.title": {"vi": "Cập nhật tài khoản", "en": "Update an account"},
    "admin.manage.user": {"vi": "Tài khoản", "en": "Account"},
    "admin.manage.role": {"vi": "Vai trò mới", "en": "New role"},
    "admin.manage.scope": {
        "vi": "Mã phạm vi mới (nhiều mã cách nhau bởi dấu phẩy)",
        "en": "New scope codes (separated by commas)",
    },
    "admin.manage.roles_submit": {"vi": "Lưu vai trò", "en": "Save role"},
    "admin.manage.password": {"vi": "Mật khẩu tạm thời mới", "en": "New temporary password"},
    "admin.manage.reset_submit": {"vi": "Đặt lại mật khẩu", "en": "Reset password"},
    "admin.manage.deactivate": {"vi": "Vô hiệu hóa", "en": "Deactivate"},
    "admin.manage.activate": {"vi": "Kích hoạt lại", "en": "Reactivate"},
    "admin.manage.pick_user": {"vi": "Vui lòng chọn tài khoản", "en": "Choose an account"},
    "admin.manage.inactive": {"vi": "đã vô hiệu hóa", "en": "deactivated"},
    "admin.manage.roles_done": {
        "vi": "Đã cập nhật vai trò của {username}.",
        "en": "Roles of {username} updated.",
    },
    "admin.manage.reset_done": {
        "vi": "Đã đặt lại mật khẩu của {username}; người dùng phải đổi khi đăng nhập.",
        "en": "Password of {username} reset; the user must change it at sign-in.",
    },
    "admin.manage.deactivated": {
        "vi": "Đã vô hiệu hóa tài khoản {username}.",
        "en": "Account {username} deactivated.",
    },
    "admin.manage.activated": {
        "vi": "Đã kích hoạt lại tài khoản {username}.",
        "en": "Account {username} reactivated.",
    },
    # Roles (data.auth.roles.Role).
    "role.MINISTRY_LEADER": {"vi": "Lãnh đạo Bộ Y tế", "en": "Ministry leader"},
    "role.PROVINCE_OFFICER": {"vi": "Cán bộ tỉnh", "en": "Province officer"},
    "role.DISTRICT_OFFICER": {"vi": "Cán bộ huyện", "en": "District officer"},
    "role.FACILITY_STAFF": {"vi": "Nhân viên cơ sở tiêm", "en": "Facility staff"},
    "role.SYSTEM_ADMIN": {"vi": "Quản trị hệ thống", "en": "System administrator"},
    # data.auth.users.AccountError keys.
    "user.bad_username": {
        "vi": "Tên đăng nhập chỉ gồm chữ, số, dấu chấm và dấu gạch dưới",
        "en": "Use only letters, digits, dots and underscores",
    },
    "user.exists": {"vi": "Tên đăng nhập đã được dùng", "en": "This username is already taken"},
    "user.not_found": {"vi": "Không tìm thấy tài khoản", "en": "Account not found"},
    "user.cannot_deactivate_self": {
        "vi": "Bạn không thể tự vô hiệu hóa tài khoản của mình",
        "en": "You cannot deactivate your own account",
    },
    "user.cannot_demote_self": {
        "vi": "Bạn không thể tự bỏ vai trò Quản trị hệ thống của mình",
        "en": "You cannot remove your own System administrator role",
    },
    "user.last_admin": {
        "vi": "Cần giữ ít nhất một quản trị hệ thống đang hoạt động",
        "en": "At least one active system administrator must remain",
    },
    "role.scope_required": {
        "vi": "Vai trò này cần mã phạm vi",
        "en": "This role needs a scope code",
    },
    "role.unknown_scope": {
        "vi": "Mã phạm vi không tồn tại cho vai trò này",
        "en": "No such scope code for this role",
    },
    # Audit log.
    "admin.audit.title": {"vi": "Nhật ký hệ thống", "en": "Audit log"},
    "admin.audit.user": {"vi": "Người thực hiện", "en": "User"},
    "admin.audit.table": {"vi": "Bảng dữ liệu", "en": "Table"},
    "admin.audit.dates": {"vi": "Khoảng thời gian", "en": "Date range"},
    "admin.audit.from": {"vi": "Từ ngày", "en": "From"},
    "admin.audit.to": {"vi": "Đến ngày", "en": "To"},
    "admin.audit.refresh": {"vi": "Làm mới", "en": "Refresh"},
    "admin.audit.all": {"vi": "Tất cả", "en": "All"},
    "admin.audit.count": {"vi": "{n} bản ghi mới nhất", "en": "{n} newest entries"},
    "admin.audit.col.at": {"vi": "Thời điểm", "en": "Time"},
    "admin.audit.col.user": {"vi": "Người thực hiện", "en": "User"},
    "admin.audit.col.source": {"vi": "Nguồn", "en": "Source"},
    "admin.audit.col.action": {"vi": "Thao tác", "en": "Action"},
    "admin.audit.col.table": {"vi": "Bảng", "en": "Table"},
    "admin.audit.col.key": {"vi": "Bản ghi", "en": "Record"},
    "admin.audit.col.before": {"vi": "Trước", "en": "Before"},
    "admin.audit.col.after": {"vi": "Sau", "en": "After"},
    "admin.audit.col.detail": {"vi": "Chi tiết", "en": "Detail"},
}
