package kit

import "testing"

// A file's days are named as a county office names them: no ISO week, no spaces, sorting by date.
func TestSpan(t *testing.T) {
	for _, tc := range []struct {
		from, to Date
		want     string
	}{
		{YMD(2023, 5, 1), YMD(2023, 5, 7), "20230501至0507"},
		{YMD(2023, 5, 29), YMD(2023, 6, 4), "20230529至0604"},
		{YMD(2023, 12, 25), YMD(2024, 1, 7), "20231225至20240107"},
		{YMD(2023, 3, 1), YMD(2023, 3, 1), "20230301"},
	} {
		if got := tc.from.Span(tc.to); got != tc.want {
			t.Errorf("%s..%s: %s, want %s", tc.from, tc.to, got, tc.want)
		}
	}
}
