"""Vietnamese name parts with rough frequencies, and a few foreign names for passports."""

from __future__ import annotations

# Family names and their approximate shares of the population.
FAMILY: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.1),
    ("Huỳnh", 2.0), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8),
    ("Trương", 0.8), ("Lương", 0.5), ("Mai", 0.5), ("Lâm", 0.4), ("Tạ", 0.3), ("Đoàn", 0.6),
    ("Cao", 0.4), ("Hà", 0.5), ("Chu", 0.2), ("Tô", 0.2), ("Vương", 0.2), ("Thái", 0.2),
    ("Quách", 0.1),
)
MIDDLE_M = ("Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Xuân",
            "Đình", "Ngọc", "Anh", "Trung", "Quang", "Gia", "Hoàng", "Tấn", "Thanh", "Duy")
MIDDLE_F = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bảo", "Phương",
            "Mai", "Hồng", "Khánh", "Minh", "Thùy", "Diệu", "Quỳnh", "Hoài", "Bích", "Mỹ")
GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Quang",
           "Huy", "Phúc", "Khoa", "Đạt", "Hiếu", "Trung", "Bình", "Cường", "Hoàng", "Toàn",
           "Vinh", "Tài", "Khánh", "Thành", "Tùng", "Phong", "Lâm", "Hưng", "An", "Bảo",
           "Đức", "Việt", "Kiên", "Lộc", "Nghĩa", "Quân", "Thịnh", "Trí", "Vũ", "Duy")
GIVEN_F = ("Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Thảo", "Hà", "Ngọc", "Anh",
           "Hạnh", "Huyền", "Nhung", "Phương", "Thủy", "Yến", "Vy", "Hằng", "Dung", "Nga",
           "Oanh", "Giang", "Nhi", "Quỳnh", "Trâm", "Uyên", "Vân", "Loan", "Tuyết", "Châu",
           "Hiền", "Liên", "My", "Nhàn", "Thơ", "Trinh", "Xuân", "Diệp", "Ly", "Ánh")
FOREIGN = ("KIM MIN JUN", "PARK JI HOON", "LEE SOO MIN", "ZHANG WEI", "WANG FANG", "CHEN JIE",
           "TANAKA HIROSHI", "SATO YUKI", "JOHN SMITH", "MARIA GARCIA", "SOMCHAI SRISUK",
           "NORODOM SOPHEAP", "PIERRE MARTIN", "ANNA SCHMIDT")
# Mobile network prefixes in use since the 2018 renumbering (Viettel, VinaPhone,
# MobiFone, Vietnamobile).
PHONE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097",
                  "098", "081", "082", "083", "084", "085", "088", "091", "094", "070", "076",
                  "077", "078", "079", "089", "090", "093", "056", "058", "059")
