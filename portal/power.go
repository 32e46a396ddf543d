package portal

// Who reaches the power company's console (portal/power) and who is kept from the tips.

import "landwatch/store/accounts"

// isPowerCompany: a department account of the power company (web.Kit.IsPowerCompany).
func (s *Server) isPowerCompany(u *accounts.User) bool { return s.kit.IsPowerCompany(u) }

// denyOtherDepartments keeps the power pages to the power company among the departments.
func (s *Server) denyOtherDepartments(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && !s.isPowerCompany(u)
}

// denyPowerCompany keeps the power company out of the tips.
func (s *Server) denyPowerCompany(u *accounts.User) bool { return s.isPowerCompany(u) }
