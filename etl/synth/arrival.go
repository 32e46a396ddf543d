package synth

// stampKey orders received_on values: a day alone is the end of that day.
func stampKey(s string) string {
	if len(s) == len("2006-01-02") {
		return s + "T24:00"
	}
	return s
}
