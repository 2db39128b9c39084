# A NUL byte in feed/podcast.yaml: in the author, line 4, column 13.
printf 'title: Test\ndescription: A test show.\nlanguage: en\nauthor: Test\000er\nowner: {name: Tester, email: test@example.org}\ncategories: [Technology]\nbase_url: https://example.org/test/\nimage: cover.jpg\n' > feed/podcast.yaml
