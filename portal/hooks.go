package portal

import (
	"context"
	"time"

	"landwatch/portal/intake"
)

// defaultHooks load files with the ETL and run the SQL models on the server's warehouse; a file
// given an arrival stamp by hand is audited through the server's chain.
func (s *Server) defaultHooks() Hooks {
	return Hooks{
		Load: func(ctx context.Context, up Upload) (string, []string, error) {
			return intake.Load(ctx, s.db, s.cfg, s.auditLog, s.opt.now, up)
		},
		Models: func(ctx context.Context, asOf time.Time) (string, error) {
			return intake.RunModels(ctx, s.db, asOf)
		},
	}
}
