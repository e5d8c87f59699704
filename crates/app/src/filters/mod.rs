//! Filters as Mastodon's v2 has them: a titled set of keywords and posts, for some
//! places (contexts), that warns, hides or blurs; and v1's one-phrase view of them for
//! older apps. Matching is in `matching`.

pub mod matching;

use domain::{Account, Id, ValidationError};
use store::{Filter, FilterKeyword, FilterStatus};

use crate::{App, AppError, Result, now_millis};

pub const CONTEXTS: [&str; 5] = ["home", "notifications", "public", "thread", "account"];
const ACTIONS: [&str; 3] = ["warn", "hide", "blur"];
/// Mastodon's longest keyword and title.
const MAX_TEXT_CHARS: usize = 512;

/// A filter's settings as given; what is left out stays as it was.
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    pub title: Option<String>,
    pub context: Option<Vec<String>>,
    pub action: Option<String>,
    /// `Some(None)`: never expires; `Some(Some(s))`: in `s` seconds.
    pub expires_in: Option<Option<i64>>,
    pub keywords: Vec<KeywordInput>,
}

/// A keyword to add (no id), change or remove (`destroy`).
#[derive(Debug, Clone, Default)]
pub struct KeywordInput {
    pub id: Option<Id>,
    pub keyword: Option<String>,
    pub whole_word: Option<bool>,
    pub destroy: bool,
}

pub async fn list_filters(app: &App, reader: &Account) -> Result<Vec<Filter>> {
    Ok(app.store().list_filters(reader.id).await?)
}

/// One of `reader`'s filters; anyone else's is not found.
pub async fn get_filter(app: &App, reader: &Account, id: Id) -> Result<Filter> {
    list_filters(app, reader).await?.into_iter().find(|f| f.id == id).ok_or(AppError::NotFound("filter"))
}

pub async fn create_filter(app: &App, reader: &Account, input: FilterInput) -> Result<Filter> {
    let blank = Filter {
        id: app.ids().next(),
        account_id: reader.id,
        title: String::new(),
        context: Vec::new(),
        action: "warn".into(),
        expires_at: None,
        keywords: Vec::new(),
        statuses: Vec::new(),
    };
    let filter = settle(app, blank, input)?;
    app.store().insert_filter(&filter, now_millis()).await?;
    get_filter(app, reader, filter.id).await
}

pub async fn update_filter(app: &App, reader: &Account, id: Id, input: FilterInput) -> Result<Filter> {
    let filter = settle(app, get_filter(app, reader, id).await?, input)?;
    app.store().update_filter(&filter, now_millis()).await?;
    get_filter(app, reader, id).await
}

pub async fn delete_filter(app: &App, reader: &Account, id: Id) -> Result<()> {
    get_filter(app, reader, id).await?;
    app.store().delete_filter(id).await?;
    Ok(())
}

/// `filter` with `input` applied and checked.
fn settle(app: &App, mut filter: Filter, input: FilterInput) -> Result<Filter> {
    let mut errors = ValidationError::default();
    if let Some(title) = input.title {
        filter.title = title.trim().to_owned();
    }
    if filter.title.is_empty() {
        errors.push(ValidationError::field("title", "ERR_BLANK", "can't be blank"));
    } else if filter.title.chars().count() > MAX_TEXT_CHARS {
        errors.push(ValidationError::field("title", "ERR_TOO_LONG", "is too long (maximum is 512 characters)"));
    }
    if let Some(context) = input.context {
        filter.context = context;
    }
    filter.context.dedup();
    if filter.context.is_empty() || filter.context.iter().any(|c| !CONTEXTS.contains(&c.as_str())) {
        errors.push(ValidationError::field("context", "ERR_INVALID", "is invalid"));
    }
    if let Some(action) = input.action {
        if !ACTIONS.contains(&action.as_str()) {
            errors.push(ValidationError::field("filter_action", "ERR_INCLUSION", "is not included in the list"));
        }
        filter.action = action;
    }
    match input.expires_in {
        Some(Some(seconds)) if seconds <= 0 => {
            errors.push(ValidationError::field("expires_in", "ERR_INVALID", "must be a positive number of seconds"));
        }
        Some(Some(seconds)) => filter.expires_at = Some(now_millis() + seconds.saturating_mul(1000)),
        Some(None) => filter.expires_at = None,
        None => {}
    }
    for change in input.keywords {
        let position = change.id.and_then(|id| filter.keywords.iter().position(|k| k.id == id));
        match (position, change.destroy) {
            (Some(i), true) => {
                filter.keywords.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => {
                let kept = &mut filter.keywords[i];
                kept.keyword = change.keyword.unwrap_or_else(|| kept.keyword.clone());
                kept.whole_word = change.whole_word.unwrap_or(kept.whole_word);
            }
            (None, false) if change.id.is_some() => return Err(AppError::NotFound("keyword")),
            (None, false) => filter.keywords.push(FilterKeyword {
                id: app.ids().next(),
                keyword: change.keyword.unwrap_or_default(),
                whole_word: change.whole_word.unwrap_or(true),
            }),
        }
    }
    for keyword in &mut filter.keywords {
        keyword.keyword = keyword.keyword.trim().to_owned();
        if keyword.keyword.is_empty() || keyword.keyword.chars().count() > MAX_TEXT_CHARS {
            errors.push(ValidationError::field("keywords.keyword", "ERR_INVALID", "is invalid"));
        }
    }
    if errors.is_empty() { Ok(filter) } else { Err(errors.into()) }
}

/// A keyword of one of `reader`'s filters, with its filter.
pub async fn get_keyword(app: &App, reader: &Account, id: Id) -> Result<(Filter, FilterKeyword)> {
    list_filters(app, reader)
        .await?
        .into_iter()
        .find_map(|f| f.keywords.iter().find(|k| k.id == id).cloned().map(|k| (f, k)))
        .ok_or(AppError::NotFound("keyword"))
}

/// Adds, changes or removes one keyword of a filter; returns the filter as it is now.
pub async fn change_keyword(app: &App, reader: &Account, filter_id: Id, change: KeywordInput) -> Result<Filter> {
    update_filter(app, reader, filter_id, FilterInput { keywords: vec![change], ..FilterInput::default() }).await
}

/// A filtered post of one of `reader`'s filters, with its filter.
pub async fn get_filtered_status(app: &App, reader: &Account, id: Id) -> Result<(Filter, FilterStatus)> {
    list_filters(app, reader)
        .await?
        .into_iter()
        .find_map(|f| f.statuses.iter().find(|s| s.id == id).cloned().map(|s| (f, s)))
        .ok_or(AppError::NotFound("status filter"))
}

/// Adds a post the reader may see to one of their filters.
pub async fn add_status(app: &App, reader: &Account, filter_id: Id, status_id: Id) -> Result<FilterStatus> {
    get_filter(app, reader, filter_id).await?;
    let status = crate::statuses::get_status(app, Some(reader.id), status_id).await?;
    app.store().insert_filter_status(app.ids().next(), filter_id, status.id, now_millis()).await?;
    let filter = get_filter(app, reader, filter_id).await?;
    filter.statuses.into_iter().find(|s| s.status_id == status.id).ok_or(AppError::NotFound("status filter"))
}

pub async fn remove_status(app: &App, reader: &Account, id: Id) -> Result<()> {
    get_filtered_status(app, reader, id).await?;
    app.store().delete_filter_status(id).await?;
    Ok(())
}

/// v1's filters: one per keyword, titled by it.
pub async fn list_v1(app: &App, reader: &Account) -> Result<Vec<(Filter, FilterKeyword)>> {
    let filters = list_filters(app, reader).await?;
    Ok(filters.into_iter().flat_map(|f| f.keywords.clone().into_iter().map(move |k| (f.clone(), k))).collect())
}

/// A v1 filter's settings; `irreversible` is v2's hide.
#[derive(Debug, Clone, Default)]
pub struct V1Input {
    pub phrase: Option<String>,
    pub context: Option<Vec<String>>,
    pub irreversible: Option<bool>,
    pub whole_word: Option<bool>,
    pub expires_in: Option<Option<i64>>,
}

impl V1Input {
    fn filter_input(self, keyword_id: Option<Id>) -> FilterInput {
        FilterInput {
            title: self.phrase.clone(),
            context: self.context,
            action: self.irreversible.map(|hide| if hide { "hide" } else { "warn" }.to_owned()),
            expires_in: self.expires_in,
            keywords: vec![KeywordInput {
                id: keyword_id,
                keyword: self.phrase,
                whole_word: self.whole_word,
                destroy: false,
            }],
        }
    }
}

/// v1's create: a filter with one keyword.
pub async fn create_v1(app: &App, reader: &Account, input: V1Input) -> Result<(Filter, FilterKeyword)> {
    let filter = create_filter(app, reader, input.filter_input(None)).await?;
    let keyword = filter.keywords.first().cloned().ok_or(AppError::NotFound("keyword"))?;
    Ok((filter, keyword))
}

pub async fn update_v1(app: &App, reader: &Account, keyword_id: Id, input: V1Input) -> Result<(Filter, FilterKeyword)> {
    let (filter, _) = get_keyword(app, reader, keyword_id).await?;
    update_filter(app, reader, filter.id, input.filter_input(Some(keyword_id))).await?;
    get_keyword(app, reader, keyword_id).await
}

/// v1's delete: the keyword, and its filter when nothing else is left in it.
pub async fn delete_v1(app: &App, reader: &Account, keyword_id: Id) -> Result<()> {
    let (filter, _) = get_keyword(app, reader, keyword_id).await?;
    if filter.keywords.len() == 1 && filter.statuses.is_empty() {
        return delete_filter(app, reader, filter.id).await;
    }
    let change = KeywordInput { id: Some(keyword_id), destroy: true, ..KeywordInput::default() };
    change_keyword(app, reader, filter.id, change).await.map(|_| ())
}
