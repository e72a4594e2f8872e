package gen

// typePrefix is the prefix of the Go names of the skeleton's C types and
// enum constants: its ident with Options.PrefixTypes, else none.
func (s *skeleton) typePrefix() string {
	if s.opts.PrefixTypes {
		return s.ident
	}
	return ""
}
