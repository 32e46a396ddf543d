package county

import (
	"landwatch/etl/synth/kit"
)

// What is planned here is written and described in etl/synth/chain/stages.go.

type ChainEntry struct {
	C      *CaseRec
	Stage  string
	On     kit.Date
	Doc    string
	Fine   int64
	UnitSN string
}
