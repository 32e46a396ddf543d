package county

import (
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
