package campaign

import "testing"

// TestTownshipName: the full name, or the name without its 镇/乡 when one township has it; spaces
// around it do not count; an ambiguous or unknown name is refused.
func TestTownshipName(t *testing.T) {
	c := &Config{Townships: []Township{{Name: "郭道镇"}, {Name: "马泉乡"}, {Name: "马泉镇"}, {Name: "沁河镇"}}}
	for name, want := range map[string]string{
		"郭道镇": "郭道镇", "郭道": "郭道镇", " 郭道 ": "郭道镇", "郭道乡": "郭道镇",
		"马泉乡": "马泉乡", "马泉镇": "马泉镇", "马泉": "", "郭": "", "": "", "镇": "", "沁河镇 ": "沁河镇",
	} {
		got, ok := c.Township(name)
		if ok != (want != "") || got.Name != want {
			t.Errorf("Township(%q) = %q, %v; want %q", name, got.Name, ok, want)
		}
	}
}
