package models

import "fmt"

// FieldError is a query that cannot run because of one of its fields. Field is the field's
// JSON name (groupBy, services, metrics, limit...), so the editor can show the message at that
// field without reading its wording; the response carries it in frame metadata.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// InField marks err as concerning field; nil stays nil, and an error that already names its
// field keeps it.
func InField(field string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*FieldError); ok {
		return err
	}
	return &FieldError{Field: field, Err: err}
}

func fieldErrorf(field, format string, args ...any) error {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}
