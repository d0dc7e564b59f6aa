"""Reject reasons a clerk can act on, Vietnamese first, English second."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "required": {
        "vi": "Thiếu giá trị bắt buộc",
        "en": "Required value is missing",
    },
    "missing_column": {
        "vi": "Tệp thiếu cột bắt buộc '{column}'",
        "en": "The file has no '{column}' column, which is required",
    },
    "bad_row": {
        "vi": "Dòng không đọc được: số cột {actual}, cần {expected}",
        "en": "Unreadable row: {actual} columns, expected {expected}",
    },
    "bad_json": {
        "vi": "Dòng không phải JSON hợp lệ ({error})",
        "en": "The line is not valid JSON ({error})",
    },
    "bad_date": {
        "vi": "Ngày không hợp lệ; dùng dạng 2021-10-19 hoặc 19/10/2021",
        "en": "Invalid date; use 2021-10-19 or 19/10/2021",
    },
    "bad_timestamp": {
        "vi": "Thời điểm không hợp lệ; dùng dạng ISO 8601, ví dụ 2021-10-19T08:30:00+07:00",
        "en": "Invalid timestamp; use ISO 8601, e.g. 2021-10-19T08:30:00+07:00",
    },
    "future": {
        "vi": "Thời điểm nằm trong tương lai",
        "en": "The date is in the future",
    },
    "bad_choice": {
        "vi": "Giá trị không hợp lệ; chỉ nhận: {choices}",
        "en": "Invalid value; allowed: {choices}",
    },
    "bad_int": {
        "vi": "Phải là số nguyên",
        "en": "Must be a whole number",
    },
    "int_range": {
        "vi": "Phải là số nguyên từ {lo} đến {hi}",
        "en": "Must be a whole number from {lo} to {hi}",
    },
    "not_positive": {
        "vi": "Số liều phải là số nguyên dương",
        "en": "Doses must be a positive whole number",
    },
    "zero_adjustment": {
        "vi": "Điều chỉnh phải khác 0",
        "en": "An adjustment must not be zero",
    },
    "unknown_province": {
        "vi": "Mã tỉnh không có trong danh mục GSO 2021 (63 tỉnh)",
        "en": "Not a GSO 2021 province code (63 provinces)",
    },
    "unknown_district": {
        "vi": "Mã huyện không có trong danh mục GSO 2021",
        "en": "Not a GSO 2021 district code",
    },
    "district_not_in_province": {
        "vi": "Huyện {district} không thuộc tỉnh {province}",
        "en": "District {district} is not in province {province}",
    },
    "unknown_ward": {
        "vi": "Mã xã không có trong danh mục GSO 2021",
        "en": "Not a GSO 2021 ward code",
    },
    "ward_not_in_district": {
        "vi": "Xã {ward} không thuộc huyện {district}",
        "en": "Ward {ward} is not in district {district}",
    },
    "unknown_area": {
        "vi": "Mã địa bàn phải là mã tỉnh (2 số) hoặc mã huyện (3 số) GSO",
        "en": "Area code must be a GSO province (2 digits) or district (3 digits) code",
    },
    "unknown_facility": {
        "vi": "Cơ sở tiêm chưa được đăng ký; nạp danh sách cơ sở trước",
        "en": "Facility is not registered; load the facilities file first",
    },
    "unknown_warehouse": {
        "vi": "Kho chưa được đăng ký; nạp danh sách kho trước",
        "en": "Warehouse is not registered; load the warehouses file first",
    },
    "unknown_vaccine": {
        "vi": "Mã vắc xin không có trong danh mục: {choices}",
        "en": "Unknown vaccine code; catalogue: {choices}",
    },
    "bad_person_id": {
        "vi": "Số giấy tờ không đúng dạng (CCCD 12 số, CMND 9 hoặc 12 số, hộ chiếu 6-9 ký tự)",
        "en": "ID number has the wrong shape (CCCD 12 digits, CMND 9 or 12, passport 6-9 chars)",
    },
    "bad_phone": {
        "vi": "Số điện thoại di động Việt Nam không hợp lệ (10 số, ví dụ 0912345678)",
        "en": "Not a Vietnamese mobile number (10 digits, e.g. 0912345678)",
    },
    "bad_dose_number": {
        "vi": "Số mũi {number} không hợp lệ cho loại mũi {kind} của vắc xin {vaccine}",
        "en": "Dose number {number} is not valid for a {kind} dose of {vaccine}",
    },
    "birth_after_injection": {
        "vi": "Ngày sinh sau ngày tiêm",
        "en": "Birth date is after the injection",
    },
    "counterparty_required": {
        "vi": "Cần mã kho đối ứng cho loại giao dịch {kind}",
        "en": "A counterparty warehouse is required for {kind}",
    },
    "reason_required": {
        "vi": "Cần lý do cho loại giao dịch {kind}",
        "en": "A reason is required for {kind}",
    },
    "stock_below_zero": {
        "vi": "Tồn kho lô {lot} tại kho {warehouse} sẽ âm ({balance} liều)",
        "en": "Stock of lot {lot} at warehouse {warehouse} would go below zero ({balance} doses)",
    },
    "classified_by_council": {
        "vi": "Hội đồng tư vấn AEFI tỉnh đã phân loại ca này là {classification} ngày {day}; "
              "tệp không thể đổi phân loại (để trống hoặc ghi {classification})",
        "en": "The provincial AEFI council classified this case {classification} on {day}; "
              "a file cannot change it (leave it blank or send {classification})",
    },
    "stock_below_zero_later": {
        "vi": "Tồn kho lô {lot} tại kho {warehouse} sẽ âm vào ngày này hoặc một ngày sau đó: "
              "từ ngày này trở đi chỉ có thể xuất tối đa {available} liều",
        "en": "Stock of lot {lot} at warehouse {warehouse} would go below zero at this date or "
              "a later one: at most {available} doses can leave from this date on",
    },
    "registration_merged": {
        "vi": "Đăng ký này đã được gộp vào đăng ký {kept}; dùng mã {kept}",
        "en": "This registration was merged into {kept}; use {kept}",
    },
    "outside_scope": {
        "vi": "Nơi ở ngoài địa bàn bạn phụ trách",
        "en": "The residence lies outside your area",
    },
    "registration_elsewhere": {
        "vi": "Mã đăng ký đã có ở địa bàn bạn không phụ trách",
        "en": "This registration id already exists outside your area",
    },
    # The public portal's organisation lists (data.portal.registration_upload): an anonymous
    # upload adds registrations, it never changes one, nor registers a person twice.
    "registration_exists": {
        "vi": "Mã đăng ký này đã có; danh sách của tổ chức chỉ thêm đăng ký mới",
        "en": "This registration id already exists; an organisation's list only adds new "
              "registrations",
    },
    "person_registered": {
        "vi": "Số giấy tờ này đã được đăng ký tiêm",
        "en": "This identity number is already registered",
    },
    "unknown_injection": {
        "vi": "Không tìm thấy mũi tiêm có record_id này; nạp mũi tiêm trước",
        "en": "No injection with this record_id; load the injection first",
    },
    "onset_before_injection": {
        "vi": "Thời điểm khởi phát trước thời điểm tiêm",
        "en": "Onset is before the injection",
    },
    "reported_before_onset": {
        "vi": "Thời điểm báo cáo trước thời điểm khởi phát",
        "en": "Reported before the onset",
    },
    "seriousness_required": {
        "vi": "Ca nặng cần mức độ nghiêm trọng: {choices}",
        "en": "A serious case needs its seriousness: {choices}",
    },
    "bad_coordinate": {
        "vi": "Tọa độ nằm ngoài lãnh thổ Việt Nam",
        "en": "Coordinate lies outside Viet Nam",
    },
    "facility_required": {
        "vi": "Kho tuyến cơ sở cần mã cơ sở tiêm",
        "en": "A facility-level warehouse needs its facility_code",
    },
    "age_exceeds_total": {
        "vi": "Số dân theo nhóm tuổi lớn hơn tổng số dân",
        "en": "An age band exceeds the total population",
    },
    "duplicate_in_file": {
        "vi": "Mã này xuất hiện lại ở dòng sau với nội dung khác; dòng sau được dùng",
        "en": "The same id appears again later with other content; the later row is used",
    },
    "bad_char": {
        "vi": "Dòng chứa ký tự NUL hoặc ký tự Unicode không hợp lệ",
        "en": "The line holds a NUL or an invalid Unicode character",
    },
    "too_long": {
        "vi": "Dài quá {limit} ký tự",
        "en": "Longer than {limit} characters",
    },
    # -- refused by the write side (data.ops.commands) only: a file is its sender's record --
    "dose.already_recorded": {
        "vi": "Mũi {kind} số {number} của người này đã được ghi nhận lúc {at} tại cơ sở "
              "{facility}; không ghi thêm mũi này",
        "en": "This person's {kind} dose {number} was already recorded at {at} at facility "
              "{facility}; it was not recorded again",
    },
    # -- a file refused as a whole (etl.refusal): one sentence, nothing loaded ----------------
    "file_empty": {
        "vi": "Tệp rỗng: không có dòng tiêu đề và không có dữ liệu; không có dòng nào được nạp.",
        "en": "The file is empty: no header row and no data; nothing was loaded.",
    },
    "file_binary": {
        "vi": "Dòng {line}, byte thứ {column} (0x{byte}) là dữ liệu nhị phân: tệp không phải "
              "văn bản CSV hay JSON Lines (bảng tính Excel phải lưu dạng .xlsx); không có dòng "
              "nào được nạp.",
        "en": "Line {line}, byte {column} (0x{byte}) is binary data: the file is not CSV or "
              "JSON Lines text (an Excel workbook must be saved as .xlsx); nothing was loaded.",
    },
    "file_encoding": {
        "vi": "Dòng {line}, byte thứ {column} (0x{byte}) không phải UTF-8: tệp phải mã hóa "
              "UTF-8, tệp ở bảng mã cũ Windows-1258 thì nạp lại với --encoding windows-1258 "
              "(không hỗ trợ TCVN3); không có dòng nào được nạp.",
        "en": "Line {line}, byte {column} (0x{byte}) is not UTF-8: the file must be UTF-8, and "
              "a file in the legacy Windows-1258 encoding loads with --encoding windows-1258 "
              "(TCVN3 is not supported); nothing was loaded.",
    },
    "file_encoding_other": {
        "vi": "Dòng {line}, byte thứ {column} (0x{byte}) không đọc được bằng bảng mã "
              "{encoding}: kiểm tra bảng mã của tệp; không có dòng nào được nạp.",
        "en": "Line {line}, byte {column} (0x{byte}) is not valid {encoding}: check the "
              "file's encoding; nothing was loaded.",
    },
    "file_duplicate_column": {
        "vi": "Cột '{column}' có hai lần ở dòng tiêu đề (cột {first} và {second}): giữ một cột "
              "rồi gửi lại; không có dòng nào được nạp.",
        "en": "The column '{column}' appears twice in the header (columns {first} and "
              "{second}): keep one and send the file again; nothing was loaded.",
    },
    "file_long_line": {
        "vi": "Dòng {line} dài hơn 16 MB, giới hạn của một dòng; không có dòng nào được nạp.",
        "en": "Line {line} is longer than 16 MB, the limit for one line; nothing was loaded.",
    },
    "file_long_field": {
        "vi": "Dòng {line}, cột '{column}' dài hơn 128 KB, giới hạn của một ô; không có dòng "
              "nào được nạp.",
        "en": "Line {line}, the '{column}' field is longer than 128 KB, the limit for one "
              "field; nothing was loaded.",
    },
    "file_bad_csv": {
        "vi": "Dòng {line} không đọc được như CSV ({error}); không có dòng nào được nạp.",
        "en": "Line {line} cannot be read as CSV ({error}); nothing was loaded.",
    },
    "file_bad_xlsx": {
        "vi": "Tệp không đọc được như bảng tính XLSX (hỏng, có mật khẩu hoặc định dạng khác): "
              "mở bằng Excel và lưu lại dạng .xlsx; không có dòng nào được nạp.",
        "en": "The file is not a readable XLSX workbook (damaged, password-protected or "
              "another format): open it in Excel and save it again as .xlsx; nothing was "
              "loaded.",
    },
    "load_interrupted": {
        "vi": "Cơ sở dữ liệu đã dừng việc nạp trước khi xong ({error}); tệp được nạp trong "
              "một giao dịch nên không có dòng nào được giữ lại: hãy chạy lại đúng lệnh này.",
        "en": "The database stopped the load before it finished ({error}); the file loads in "
              "one transaction, so none of its rows was kept: run the same command again.",
    },
}


def message(key: str, lang: str, **fmt: object) -> str:
    """The reason text in the requested language."""
    texts = MESSAGES[key]
    return texts.get(lang, texts["en"]).format(**fmt)
