//! The OLD side of the compile-fail suite (tests only): every case of
//! `../cases` must compile against the old generated clients.
