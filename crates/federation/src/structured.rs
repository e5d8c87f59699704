//! The parts of RFC 8941 (Structured Field Values) that RFC 9421 signatures use:
//! dictionaries whose members are inner lists or byte sequences, with parameters, and
//! their canonical serialisation (the signature base repeats it).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::signature::SignatureError;

#[derive(Debug, Clone, PartialEq)]
pub enum BareItem {
    Integer(i64),
    Decimal(f64),
    String(String),
    Token(String),
    Bytes(Vec<u8>),
    Boolean(bool),
}

pub type Parameters = Vec<(String, BareItem)>;

/// An item with its parameters: `"@query-param";name="Pet"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub value: BareItem,
    pub params: Parameters,
}

/// A dictionary member's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    Item(Item),
    InnerList(Vec<Item>, Parameters),
}

fn malformed(what: &str) -> SignatureError {
    SignatureError(format!("malformed structured field: {what}"))
}

/// Parses a dictionary, keeping its members in order.
pub fn parse_dictionary(input: &str) -> Result<Vec<(String, Member)>, SignatureError> {
    let mut p = Parser { s: input.as_bytes(), i: 0 };
    let mut members = Vec::new();
    p.skip_spaces();
    while !p.done() {
        let key = p.key()?;
        let member = if p.eat(b'=') {
            if p.peek() == Some(b'(') { p.inner_list()? } else { Member::Item(p.item()?) }
        } else {
            Member::Item(Item { value: BareItem::Boolean(true), params: p.params()? })
        };
        members.retain(|(k, _)| k != &key);
        members.push((key, member));
        p.skip_ows();
        if p.done() {
            break;
        }
        if !p.eat(b',') {
            return Err(malformed("expected a comma between members"));
        }
        p.skip_ows();
        if p.done() {
            return Err(malformed("trailing comma"));
        }
    }
    Ok(members)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        let matched = self.peek() == Some(c);
        if matched {
            self.i += 1;
        }
        matched
    }
    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }
    fn take_while(&mut self, ok: impl Fn(u8) -> bool) -> &str {
        let start = self.i;
        while self.peek().is_some_and(&ok) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default()
    }

    fn key(&mut self) -> Result<String, SignatureError> {
        if !self.peek().is_some_and(|c| c.is_ascii_lowercase() || c == b'*') {
            return Err(malformed("a key must start with a lower-case letter or *"));
        }
        Ok(self.take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"_-.*".contains(&c)).to_owned())
    }

    fn inner_list(&mut self) -> Result<Member, SignatureError> {
        self.eat(b'(');
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            if self.eat(b')') {
                return Ok(Member::InnerList(items, self.params()?));
            }
            items.push(self.item()?);
            if !matches!(self.peek(), Some(b' ' | b')')) {
                return Err(malformed("inner list items must be separated by spaces"));
            }
        }
    }

    fn item(&mut self) -> Result<Item, SignatureError> {
        let value = self.bare_item()?;
        Ok(Item { value, params: self.params()? })
    }

    fn params(&mut self) -> Result<Parameters, SignatureError> {
        let mut params: Parameters = Vec::new();
        while self.eat(b';') {
            self.skip_spaces();
            let key = self.key()?;
            let value = if self.eat(b'=') { self.bare_item()? } else { BareItem::Boolean(true) };
            params.retain(|(k, _)| k != &key);
            params.push((key, value));
        }
        Ok(params)
    }

    fn bare_item(&mut self) -> Result<BareItem, SignatureError> {
        match self.peek() {
            Some(b'"') => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    match self.peek() {
                        None => return Err(malformed("unterminated string")),
                        Some(b'"') => {
                            self.i += 1;
                            return Ok(BareItem::String(out));
                        }
                        Some(b'\\') => {
                            self.i += 1;
                            match self.peek() {
                                Some(c @ (b'"' | b'\\')) => out.push(c as char),
                                _ => return Err(malformed("bad escape in string")),
                            }
                            self.i += 1;
                        }
                        Some(c) if (0x20..0x7f).contains(&c) => {
                            out.push(c as char);
                            self.i += 1;
                        }
                        Some(_) => return Err(malformed("a string holds printable ASCII only")),
                    }
                }
            }
            Some(b':') => {
                self.i += 1;
                let text = self.take_while(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c)).to_owned();
                if !self.eat(b':') {
                    return Err(malformed("unterminated byte sequence"));
                }
                BASE64.decode(text).map(BareItem::Bytes).map_err(|_| malformed("bad base64 in byte sequence"))
            }
            Some(b'?') => {
                self.i += 1;
                match self.peek() {
                    Some(b'1') => {
                        self.i += 1;
                        Ok(BareItem::Boolean(true))
                    }
                    Some(b'0') => {
                        self.i += 1;
                        Ok(BareItem::Boolean(false))
                    }
                    _ => Err(malformed("bad boolean")),
                }
            }
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                let text = self.take_while(|c| c == b'-' || c == b'.' || c.is_ascii_digit()).to_owned();
                if text.contains('.') {
                    text.parse().map(BareItem::Decimal).map_err(|_| malformed("bad decimal"))
                } else if text.trim_start_matches('-').len() > 15 {
                    Err(malformed("integer too long"))
                } else {
                    text.parse().map(BareItem::Integer).map_err(|_| malformed("bad integer"))
                }
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'*' => Ok(BareItem::Token(
                self.take_while(|c| c.is_ascii_graphic() && !b"\"(),;=[]{}\\".contains(&c)).to_owned(),
            )),
            _ => Err(malformed("unexpected character")),
        }
    }
}

/// The canonical text of a bare item.
pub fn serialize_bare(item: &BareItem) -> String {
    match item {
        BareItem::Integer(n) => n.to_string(),
        BareItem::Decimal(d) => {
            let fixed = format!("{d:.3}");
            let trimmed = fixed.trim_end_matches('0');
            if trimmed.ends_with('.') { format!("{trimmed}0") } else { trimmed.to_owned() }
        }
        BareItem::String(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        BareItem::Token(t) => t.clone(),
        BareItem::Bytes(b) => format!(":{}:", BASE64.encode(b)),
        BareItem::Boolean(true) => "?1".into(),
        BareItem::Boolean(false) => "?0".into(),
    }
}

pub fn serialize_params(params: &Parameters) -> String {
    params
        .iter()
        .map(|(k, v)| match v {
            BareItem::Boolean(true) => format!(";{k}"),
            other => format!(";{k}={}", serialize_bare(other)),
        })
        .collect()
}

pub fn serialize_item(item: &Item) -> String {
    format!("{}{}", serialize_bare(&item.value), serialize_params(&item.params))
}

pub fn serialize_inner_list(items: &[Item], params: &Parameters) -> String {
    let inner: Vec<String> = items.iter().map(serialize_item).collect();
    format!("({}){}", inner.join(" "), serialize_params(params))
}
