-- Export formats name a record shape and a file type: the one Parquet format of before (Alpaca columns) is
-- now "alpaca-parquet", next to chat, ShareGPT and preference Parquet.
UPDATE "Export" SET format = 'alpaca-parquet' WHERE format = 'parquet';
