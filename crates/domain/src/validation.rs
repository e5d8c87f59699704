use std::fmt;

/// One rejected field, in the shape Mastodon reports it (`ERR_TAKEN`, `ERR_INVALID`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub description: String,
}

/// Input that breaks a rule; carries every field that failed, so a form can show them all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationError {
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    pub fn field(field: &'static str, code: &'static str, description: impl Into<String>) -> Self {
        Self { errors: vec![FieldError { field, code, description: description.into() }] }
    }

    pub fn push(&mut self, other: ValidationError) {
        self.errors.extend(other.errors);
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl fmt::Display for ValidationError {
    /// Mastodon's wording: `Validation failed: Username has already been taken, Email is invalid`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Validation failed: ")?;
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            let mut name = e.field.replace('_', " ");
            if let Some(first) = name.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            write!(f, "{name} {}", e.description)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

impl From<FieldError> for ValidationError {
    fn from(e: FieldError) -> Self {
        Self { errors: vec![e] }
    }
}
