package county

import (
	"landwatch/etl/synth/kit"
)

// The rest of the chain's own files: 自然资源 ends every case it settles without transfer (已结案 in
// the cases exports) with 处罚决定 (文号, the register's fine) a week after filing, 执行完毕 five days
// later and 结案 the day the register first says 已结案 (caseClosed); a case sent to 公安 gets its
// 处罚决定 (the register's fine) the day it is sent. 检察院 accepts every case 公安 sends on
// (移送检察日期) two working days later and indicts it eight working days after that; 法院 accepts
// it three working days after the indictment (the judgement is the register's 判决日期). Every entry is on time; none is
// dated after the readings end. No random draw is spent.

type ChainEntry struct {
	C      *CaseRec
	Stage  string
	On     kit.Date
	Doc    string
	Fine   int64
	UnitSN string
}
