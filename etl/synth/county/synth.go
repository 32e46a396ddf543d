package county

import (
	"fmt"

	"landwatch/campaign"
	"landwatch/etl/synth/kit"
)

// Scale fixes the size of the county.
type Scale struct {
	Name          string
	Villages      int // villages per township; 0 = all of the register
	Meters        int // meters in the registry (planted ones included)
	ReadFrom      kit.Date
	ReadTo        kit.Date
	MetersPerFile int // readings files hold at most this many meters; 0 = one file
	Repeat        int // how many times each township's scenario is planted
	FillerRows    [2]int
}

// ScaleByName returns the scale; readings run from the start of the village self-check (tiny) or
// four weeks before it (surge baselines need 35 days), to the end of the first look-back week.
func ScaleByName(name string, cfg *campaign.Config) (Scale, error) {
	tl := NewTimeline(cfg)
	to := tl.LookStart + 6
	switch name {
	case "tiny":
		return Scale{Name: name, Villages: 3, Meters: 12, ReadFrom: tl.SelfStart, ReadTo: to,
			Repeat: 1, FillerRows: [2]int{2, 4}}, nil
	case "county":
		return Scale{Name: name, Meters: 5000, ReadFrom: tl.SelfStart - 28, ReadTo: to,
			Repeat: 3, FillerRows: [2]int{3, 8}}, nil
	case "large":
		return Scale{Name: name, Meters: 45000, ReadFrom: tl.SelfStart - 28, ReadTo: to,
			MetersPerFile: 9000, Repeat: 3, FillerRows: [2]int{3, 8}}, nil
	}
	return Scale{}, fmt.Errorf("未知规模“%s”：应为 tiny、county 或 large", name)
}
