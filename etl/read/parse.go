package read

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// Excel's 1900 date system: serial 1 is 1900-01-01, and serial 60 is the non-existent 1900-02-29,
// so from serial 61 on, day 0 is 1899-12-30.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

var (
	reYMD     = regexp.MustCompile(`^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$`)
	reCompact = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	reMD      = regexp.MustCompile(`^(\d{1,2})\s*月\s*(\d{1,2})\s*日?$`)
)

// NormalizeText narrows full-width digits and punctuation and trims spaces (ideographic included).
func NormalizeText(s string) string {
	return strings.TrimSpace(width.Narrow.String(s))
}

// ParseDate reads a date as offices write it: an Excel serial (e.g. 44990), 2023-03-05, 2023.3.5,
// 2023/3/5, 2023年3月5日, 20230305, or 3月5日 (year taken from defaultYear; 0 refuses it). A time
// of day after the date is ignored. ok is false when the text is not a real calendar date.
func ParseDate(s string, defaultYear int) (d time.Time, ok bool) {
	s = NormalizeText(s)
	if s == "" {
		return time.Time{}, false
	}
	if m := reYMD.FindStringSubmatch(s); m != nil {
		return MkDate(m[1], m[2], m[3])
	}
	if m := reCompact.FindStringSubmatch(s); m != nil {
		return MkDate(m[1], m[2], m[3])
	}
	if m := reMD.FindStringSubmatch(s); m != nil {
		if defaultYear <= 0 {
			return time.Time{}, false
		}
		return MkDate(strconv.Itoa(defaultYear), m[1], m[2])
	}
	// An Excel serial: only plain numbers in a plausible range (1955 … 2119), so that other numbers
	// are not taken for dates.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 20000 && f < 80000 {
		return excelEpoch.AddDate(0, 0, int(math.Floor(f))), true
	}
	return time.Time{}, false
}

// MkDate is the date of year, month and day as text; false when it is no calendar day.
func MkDate(ys, ms, ds string) (time.Time, bool) {
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	d, err3 := strconv.Atoi(ds)
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(m) || t.Day() != d {
		return time.Time{}, false // 2023-02-30
	}
	return t, true
}

// ParseNumber reads a number: full-width digits, thousands separators (1,234.5) and a trailing
// unit (元, 亩, 万元 is not accepted) are handled. NaN and infinities are refused.
func ParseNumber(s string) (float64, bool) {
	s = NormalizeText(s)
	for _, unit := range []string{"kWh", "kwh", "度", "元", "亩"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, unit))
	}
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ",") {
		// Thousands separators only: 1,234 or 12,345,678.9
		intPart, _, _ := strings.Cut(s, ".")
		groups := strings.Split(strings.TrimPrefix(strings.TrimPrefix(intPart, "-"), "+"), ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// noneMarkers are the 发现隐患 values that mean "nothing found" (README "Input formats").
var noneMarkers = map[string]bool{"无": true, "无隐患": true, "未发现": true, "没有": true, "/": true, "-": true, "—": true,
	"——": true, "－": true, "／": true, "无。": true, "未发现隐患": true, "暂无": true}

// IsNoneMarker reports whether a 发现隐患 value means nothing was found.
func IsNoneMarker(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || noneMarkers[s] || noneMarkers[NormalizeText(s)]
}
