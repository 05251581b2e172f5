//! A field in the parts of serde's JSON form of it, for readers of that
//! JSON that are not serde (the page reads the text conflicts kept in
//! localStorage with the browser's own `JSON`).

use super::*;

/// A [`Field`] in the parts of serde's form of it (externally tagged, as
/// JSON kept by every release writes it): the variant's name, a list
/// item's id, and the answer's name. `{"Person":["p1","Name"]}` is
/// `("Person", Some("p1"), Some("Name"))`; `"PrivateNotes"` is
/// `("PrivateNotes", None, None)`.
pub type Tagged<'a> = (&'static str, Option<&'a str>, Option<&'static str>);

macro_rules! tagged {
    ($self:expr; $($var:ident($f:ident)),*; $($item:ident($id:ident, $g:ident)),*; $($unit:ident),*) => {
        match $self {
            $(Field::$var($f) => (stringify!($var), None, Some($f.name())),)*
            $(Field::$item($id, $g) => (stringify!($item), Some($id.as_str()), Some($g.name())),)*
            $(Field::$unit => (stringify!($unit), None, None),)*
        }
    };
}

macro_rules! untagged {
    ($parts:expr; $($var:ident($t:ident)),*; $($item:ident($u:ident)),*; $($unit:ident),*) => {
        match $parts {
            $((stringify!($var), None, Some(n)) => Some(Field::$var($t::from_name(n)?)),)*
            $((stringify!($item), Some(id), Some(n)) => Some(Field::$item(id.to_owned(), $u::from_name(n)?)),)*
            $((stringify!($unit), None, None) => Some(Field::$unit),)*
            _ => None,
        }
    };
}

impl Field {
    /// Its parts as serde's form names them (see [`Tagged`]).
    pub fn tagged(&self) -> Tagged<'_> {
        tagged!(self;
            Carer(f), Role(f), Needs(f), Emergency(f), Future(f), Review(f), Budget(f);
            Person(id, f), Area(id, f), Action(id, f), Contact(id, f), Risk(id, f);
            InformationGiven, NotesForCarer, PrivateNotes)
    }

    /// The field these parts name, if they name one.
    pub fn from_tagged(variant: &str, id: Option<&str>, answer: Option<&str>) -> Option<Field> {
        untagged!((variant, id, answer);
            Carer(CarerField), Role(RoleField), Needs(NeedsField), Emergency(EmergencyField),
            Future(FutureField), Review(ReviewField), Budget(BudgetField);
            Person(PersonField), Area(AreaField), Action(ActionField), Contact(ContactField),
            Risk(RiskField);
            InformationGiven, NotesForCarer, PrivateNotes)
    }
}
